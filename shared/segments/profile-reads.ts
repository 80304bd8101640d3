/**
 * Reading profiles in bulk, page by page, always through the stage index (keys only, so each page
 * of keys is followed by a BatchGetItem of the profiles): a query of a few stages' partitions, or
 * a parallel scan of the whole index for every profile. The index holds every profile that is not
 * merged into another and nothing else, so a scan of it reads a small key per customer instead of
 * the whole table — timelines, messages and memberships, many times the profiles' size.
 */
import { BatchGetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Profile } from '../profile/profile.ts';
import { fromProfileItem, type StoreDeps } from '../profile/store.ts';
import { STAGE_INDEX, TABLE_KEYS } from '../profile/table-design.ts';
import type { Stage } from '../stages/stages.ts';
import { interleave } from './interleave.ts';

type Key = Record<string, unknown>;

/** BatchGetItem takes at most 100 keys a call. */
const BATCH_GET_LIMIT = 100;
const BATCH_GET_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 25;
const BACKOFF_MAX_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential back-off with jitter, so that throttled readers do not retry in step. */
const backoff = (attempt: number) => Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);

/** The table keys of a stage's profiles, a page at a time, most recently active first. */
async function* stageKeyPages(deps: StoreDeps, stage: Stage): AsyncGenerator<Key[]> {
  let ExclusiveStartKey: Key | undefined;
  do {
    const page = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: STAGE_INDEX.name,
        KeyConditionExpression: '#stage = :stage',
        ExpressionAttributeNames: { '#stage': STAGE_INDEX.partitionKey },
        ExpressionAttributeValues: { ':stage': stage },
        ScanIndexForward: false,
        ExclusiveStartKey,
      }),
    );
    const keys = (page.Items ?? []).map((item) => ({
      [TABLE_KEYS.partitionKey]: item[TABLE_KEYS.partitionKey],
      [TABLE_KEYS.sortKey]: item[TABLE_KEYS.sortKey],
    }));
    if (keys.length > 0) yield keys;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/**
 * The profiles under up to 100 keys, in the order of the keys (a profile deleted meanwhile is left
 * out). Keys DynamoDB leaves unprocessed (throttling, the 16 MB response limit) are asked for
 * again after a back-off; still unprocessed after a few attempts, the read fails.
 */
export async function batchGetProfiles(deps: StoreDeps, keys: readonly Key[]): Promise<Profile[]> {
  if (keys.length > BATCH_GET_LIMIT) throw new RangeError(`BatchGetItem takes at most ${BATCH_GET_LIMIT} keys, not ${keys.length}`);
  const items: Key[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === BATCH_GET_ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} profile keys unprocessed after ${attempt} attempts`);
    if (attempt > 0) await sleep(backoff(attempt));
    const { Responses, UnprocessedKeys } = await deps.ddb.send(new BatchGetCommand({ RequestItems: { [deps.tableName]: { Keys: [...pending] } } }));
    items.push(...(Responses?.[deps.tableName] ?? []));
    pending = UnprocessedKeys?.[deps.tableName]?.Keys ?? [];
  }
  const byPk = new Map(items.map((item) => [item[TABLE_KEYS.partitionKey], item]));
  return keys.flatMap((key) => {
    const item = byPk.get(key[TABLE_KEYS.partitionKey]);
    return item ? [fromProfileItem(item)] : [];
  });
}

/** The profiles of the given stages through the stage index, in pages of up to 100. */
export async function* stageIndexProfilePages(deps: StoreDeps, stages: readonly Stage[]): AsyncGenerator<Profile[]> {
  for (const stage of stages) {
    for await (const keys of stageKeyPages(deps, stage)) {
      for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
        yield await batchGetProfiles(deps, keys.slice(start, start + BATCH_GET_LIMIT));
      }
    }
  }
}

/** One segment of a parallel scan of the stage index: the profiles under each page of keys. */
async function* scanSegmentPages(deps: StoreDeps, segment: number, totalSegments: number): AsyncGenerator<Profile[]> {
  let ExclusiveStartKey: Key | undefined;
  do {
    const page = await deps.ddb.send(
      new ScanCommand({ TableName: deps.tableName, IndexName: STAGE_INDEX.name, Segment: segment, TotalSegments: totalSegments, ExclusiveStartKey }),
    );
    const keys = (page.Items ?? []).map((item) => ({
      [TABLE_KEYS.partitionKey]: item[TABLE_KEYS.partitionKey],
      [TABLE_KEYS.sortKey]: item[TABLE_KEYS.sortKey],
    }));
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) yield await batchGetProfiles(deps, keys.slice(start, start + BATCH_GET_LIMIT));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/**
 * Every profile, by a parallel scan of the stage index in `totalSegments` segments read side by
 * side. A customer whose stage changes during the scan moves within the index and could be met
 * twice: each is yielded once.
 */
export async function* scanProfilePages(deps: StoreDeps, totalSegments: number): AsyncGenerator<Profile[]> {
  const seen = new Set<string>();
  for await (const page of interleave(Array.from({ length: totalSegments }, (_, segment) => scanSegmentPages(deps, segment, totalSegments)))) {
    const fresh = page.filter((profile) => !seen.has(profile.customerId) && seen.add(profile.customerId));
    if (fresh.length > 0) yield fresh;
  }
}
