/**
 * A launch's progress, kept on one item per journey and launch id while the launch runs, so that a
 * page can show it as a percentage: the launch itself is one long synchronous call, and whoever
 * watches it (a console instance other than the one that asked) reads the item. Each write sets
 * the counts as they are, so a launch sent again with its id rewrites its own item.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreDeps } from '../profile/store.ts';
import { JOURNEY_PK_PREFIX, TTL_ATTRIBUTE } from '../profile/table-design.ts';

/** A launch writes its progress after this many customers, and at the end: a few writes per launch, not one per customer. */
export const PROGRESS_EVERY = 50;
/** Days a launch's progress is kept: long enough to look back at, gone by itself after. */
const KEEP_DAYS = 30;

export interface LaunchCounts {
  readonly considered: number;
  readonly started: number;
  readonly alreadyStarted: number;
  readonly ineligible: number;
}

export interface LaunchProgressItem extends LaunchCounts {
  readonly journey: string;
  readonly launchId: string;
  /** Customers in the audience, when known: the list's length, or the segment's count from the dry run. */
  readonly total?: number;
  readonly done: boolean;
  readonly updatedAt: string;
}

const launchProgressKey = (journey: string, launchId: string) => ({ pk: `${JOURNEY_PK_PREFIX}${journey}`, sk: `LAUNCH#${launchId}` });

export async function writeLaunchProgress(deps: StoreDeps, item: LaunchProgressItem): Promise<void> {
  const { journey, launchId, ...values } = item;
  const fields = { kind: 'launch-progress', ...values, [TTL_ATTRIBUTE]: Math.floor(Date.parse(item.updatedAt) / 1000) + KEEP_DAYS * 86_400 };
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  await deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: launchProgressKey(journey, launchId),
      UpdateExpression: `SET ${entries.map((_, index) => `#f${index} = :f${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], index) => [`#f${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], index) => [`:f${index}`, value])),
    }),
  );
}

export async function readLaunchProgress(deps: StoreDeps, journey: string, launchId: string): Promise<LaunchProgressItem | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: launchProgressKey(journey, launchId), ConsistentRead: true }));
  if (!Item) return undefined;
  const n = (name: string) => Number(Item[name] ?? 0);
  return {
    journey,
    launchId,
    considered: n('considered'),
    started: n('started'),
    alreadyStarted: n('alreadyStarted'),
    ineligible: n('ineligible'),
    ...(typeof Item.total === 'number' && { total: Item.total }),
    done: Item.done === true,
    updatedAt: String(Item.updatedAt ?? ''),
  };
}

/** How far the launch is, 0–100: done is 100; without a total, nothing can be said until then (undefined). */
export function percentDone(progress: Pick<LaunchProgressItem, 'considered' | 'total' | 'done'>): number | undefined {
  if (progress.done) return 100;
  if (progress.total === undefined || progress.total <= 0) return undefined;
  // A segment can grow between the dry run and the launch: never past 99 until the launch says it is done.
  return Math.min(99, Math.floor((progress.considered / progress.total) * 100));
}
