/**
 * A segment's latest scheduled evaluation, kept so that marketing can see how a segment grows
 * without evaluating it again: member count, profiles examined, how, and when; and one item a day
 * with that day's latest count, for its size over time (kept for 400 days).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SEGMENT_HISTORY_SK_PREFIX, SEGMENT_PK_PREFIX, TTL_ATTRIBUTE, segmentHistoryKey, segmentSnapshotKey } from '../profile/table-design.ts';
import type { SegmentCount } from './evaluate-segment.ts';

export interface SegmentSnapshot {
  readonly segment: string;
  readonly members: number;
  readonly examined: number;
  readonly plan: SegmentCount['plan']['kind'];
  readonly evaluatedAt: string;
}

interface Deps {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
}

const HISTORY_DAYS = 400;

/** Puts the item unless a later evaluation is already on it (schedules may deliver late or twice). */
async function putUnlessLater(deps: Deps, item: Record<string, unknown>, evaluatedAt: string): Promise<void> {
  try {
    await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...item, evaluatedAt },
        ConditionExpression: 'attribute_not_exists(evaluatedAt) OR evaluatedAt <= :at',
        ExpressionAttributeValues: { ':at': evaluatedAt },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Keeps the evaluation as the latest and as its day's, unless a later one is already there. */
export async function recordSnapshot(deps: Deps, segment: string, count: SegmentCount, evaluatedAt: Date): Promise<void> {
  const at = evaluatedAt.toISOString();
  const facts = { kind: 'segment-snapshot', members: count.members, examined: count.examined, plan: count.plan.kind };
  await putUnlessLater(deps, { ...segmentSnapshotKey(segment), ...facts }, at);
  const expiresAt = Math.floor(evaluatedAt.getTime() / 1000) + HISTORY_DAYS * 86_400;
  await putUnlessLater(deps, { ...segmentHistoryKey(segment, at.slice(0, 10)), ...facts, [TTL_ATTRIBUTE]: expiresAt }, at);
}

/** The member count on each day a scheduled evaluation ran, oldest first, the latest `days` of them. */
export async function readSnapshotHistory(deps: Deps, segment: string, days = 90): Promise<{ readonly day: string; readonly members: number }[]> {
  const { Items = [] } = await deps.ddb.send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `${SEGMENT_PK_PREFIX}${segment}`, ':prefix': SEGMENT_HISTORY_SK_PREFIX },
      ScanIndexForward: false,
      Limit: days,
    }),
  );
  return Items.map((item) => ({ day: String(item.sk).slice(SEGMENT_HISTORY_SK_PREFIX.length), members: Number(item.members) })).reverse();
}

export async function readSnapshot(deps: Deps, segment: string): Promise<SegmentSnapshot | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: segmentSnapshotKey(segment) }));
  if (!Item) return undefined;
  return {
    segment,
    members: Number(Item.members),
    examined: Number(Item.examined),
    plan: Item.plan as SegmentSnapshot['plan'],
    evaluatedAt: String(Item.evaluatedAt),
  };
}
