/**
 * BatchWriteItem until every request is processed. DynamoDB hands back what it could not write
 * (throttling, a partition under load) as UnprocessedItems and asks the caller to retry them after
 * a back-off: asking again at once only meets the same throttling. The attempts are bounded, so a
 * table that stays throttled fails the work (to be retried by whoever called it) instead of
 * spinning inside a Lambda.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type WriteRequest =
  | { readonly PutRequest: { readonly Item: Record<string, unknown> } }
  | { readonly DeleteRequest: { readonly Key: Record<string, unknown> } };

export interface BatchWriteDeps {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Waits before a retry; injected so that tests never sleep. @default a timer */
  readonly pause?: (ms: number) => Promise<void>;
}

/** BatchWriteItem takes at most 25 requests a call. */
export const BATCH_WRITE_LIMIT = 25;
export const BATCH_WRITE_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 25;
const BACKOFF_MAX_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential back-off with jitter, so that throttled writers do not retry in step. */
export const batchBackoffMs = (attempt: number): number => Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);

/**
 * Writes the requests to one table, 25 a call, retrying what DynamoDB leaves unprocessed.
 * @throws Error when requests are still unprocessed after BATCH_WRITE_ATTEMPTS calls of a batch
 * @example
 * await batchWriteAll({ ddb, tableName }, keys.map((Key) => ({ DeleteRequest: { Key } })));
 */
export async function batchWriteAll(deps: BatchWriteDeps, requests: readonly WriteRequest[]): Promise<void> {
  const pause = deps.pause ?? sleep;
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === BATCH_WRITE_ATTEMPTS) throw new Error(`BatchWriteItem left ${pending.length} requests unprocessed after ${attempt} attempts`);
      if (attempt > 0) await pause(batchBackoffMs(attempt));
      const { UnprocessedItems } = await deps.ddb.send(new BatchWriteCommand({ RequestItems: { [deps.tableName]: [...pending] } }));
      pending = (UnprocessedItems?.[deps.tableName] ?? []) as WriteRequest[];
    }
  }
}
