/**
 * A segment's latest scheduled evaluation, kept so that marketing can see how a segment grows
 * without evaluating it again: member count, profiles examined, how, and when.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { segmentSnapshotKey } from '../profile/table-design.ts';
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

/** Keeps the evaluation unless a later one is already there (schedules may deliver late or twice). */
export async function recordSnapshot(deps: Deps, segment: string, count: SegmentCount, evaluatedAt: Date): Promise<void> {
  try {
    await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...segmentSnapshotKey(segment), kind: 'segment-snapshot', members: count.members, examined: count.examined, plan: count.plan.kind, evaluatedAt: evaluatedAt.toISOString() },
        ConditionExpression: 'attribute_not_exists(evaluatedAt) OR evaluatedAt <= :at',
        ExpressionAttributeValues: { ':at': evaluatedAt.toISOString() },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function readSnapshot(deps: Deps, segment: string): Promise<SegmentSnapshot | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: segmentSnapshotKey(segment) }));
  if (!Item) return undefined;
  return { segment, members: Number(Item.members), examined: Number(Item.examined), plan: Item.plan as SegmentSnapshot['plan'], evaluatedAt: String(Item.evaluatedAt) };
}
