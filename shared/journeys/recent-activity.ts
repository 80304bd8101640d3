/**
 * Who entered and who converted lately, per journey, from the membership items: each holds a
 * customer's latest run (when it entered, when and how it ended). Counts are of customers whose
 * latest run entered (or converted) within the window, so a customer who ran twice in it counts once.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreDeps } from '../profile/store.ts';
import { MEMBERSHIP_SK_PREFIX } from '../profile/table-design.ts';

export interface WindowCounts {
  readonly entered: number;
  readonly converted: number;
}

export type RecentActivity = Readonly<Record<string, Readonly<Record<number, WindowCounts>>>>;

/**
 * @param windowsDays - the windows, in days back from `now`
 * @example recentActivity(deps, new Date(), [7, 30]) // { 'win-back': { 7: { entered, converted }, 30: … } }
 */
export async function recentActivity(deps: StoreDeps, now: Date, windowsDays: readonly number[]): Promise<RecentActivity> {
  const counts: Record<string, Record<number, { entered: number; converted: number }>> = {};
  const since = windowsDays.map((days) => [days, now.getTime() - days * 86_400_000] as const);
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.ddb.send(
      new ScanCommand({
        TableName: deps.tableName,
        FilterExpression: 'kind = :membership',
        ProjectionExpression: 'sk, lastEnteredAt, lastExitedAt, lastOutcome',
        ExpressionAttributeValues: { ':membership': 'membership' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const journey = String(item.sk).slice(MEMBERSHIP_SK_PREFIX.length);
      const byWindow = (counts[journey] ??= Object.fromEntries(windowsDays.map((days) => [days, { entered: 0, converted: 0 }])));
      const entered = Date.parse(String(item.lastEnteredAt ?? ''));
      const exited = Date.parse(String(item.lastExitedAt ?? ''));
      for (const [days, from] of since) {
        const window = byWindow[days] as { entered: number; converted: number };
        if (entered >= from && entered <= now.getTime()) window.entered++;
        if (item.lastOutcome === 'converted' && exited >= from && exited <= now.getTime()) window.converted++;
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return counts;
}
