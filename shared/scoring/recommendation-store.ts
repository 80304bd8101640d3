/**
 * The co-occurrence counts behind "customers who bought this also bought", kept in the profile
 * table (items in recommendation-keys.ts, arithmetic in recommendations.ts). Orders and views are
 * added as they happen, with DynamoDB's ADD, so no job ever recounts the history; reading a
 * product's neighbours is one Query and one BatchGetItem.
 *
 * Events are delivered at least once, so each order (and each view event) is applied at most once:
 * a conditional put of a marker item comes first, and only the call that creates the marker writes
 * the counts. The marker goes first on purpose. Should the function stop between the marker and the
 * last ADD (a crash, a timeout, a write that fails for good), the retry finds the marker and writes
 * nothing: that order's remaining counts are lost, and the statistics are a little low. The other
 * order — counts first, marker last — would apply the counts again on every retry after such a
 * stop, and could inflate a pair without bound. Losing part of one order is the smaller harm.
 * For the same reason the counts of the products are written before the pairs: a partial write then
 * leaves counts ahead of pairs, so similarities come out low rather than above 1.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TTL_ATTRIBUTE } from '../profile/table-design.ts';
import { ALSO_SK_PREFIX, orderMarkerKey, otherProductOf, pairKey, productCountKey, productPk, viewMarkerKey } from './recommendation-keys.ts';
import { ORDER_WEIGHT, VIEW_WEIGHT, contribution, similarity, topNeighbours, type Contribution, type Neighbour, type Neighbours } from './recommendations.ts';

export interface RecommendationStoreDeps {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
}

export interface OrderToRecord {
  readonly customerId: string;
  readonly orderId: string;
  /** The products of this order (the first 20 distinct count). */
  readonly productIds: readonly string[];
  /** Every product the customer bought before this order, most recent first (the first 30 are paired with). */
  readonly previousProductIds: readonly string[];
}

export interface ViewsToRecord {
  readonly customerId: string;
  /** The view event's id: the same event applied twice counts once. */
  readonly eventId: string;
  readonly productIds: readonly string[];
  /** Every product the customer viewed before, most recent first. */
  readonly previousViewedIds: readonly string[];
}

/** `duplicate`: the order or event was recorded before, and nothing was written. */
export type RecordOutcome = 'recorded' | 'duplicate';

/** Markers outlive the bus archive (365 days by default), from which events may be replayed. */
const MARKER_DAYS = 800;
/** UpdateItem calls in flight at once for one order. */
const WRITE_CONCURRENCY = 10;
/** The partners of a product with the largest pair weights are the candidates for its neighbours. */
export const CANDIDATES_PER_PRODUCT = 50;
const BATCH_GET_LIMIT = 100;
const BATCH_GET_ATTEMPTS = 6;

export async function recordOrder(deps: RecommendationStoreDeps, order: OrderToRecord): Promise<RecordOutcome> {
  if (!(await claim(deps, orderMarkerKey(order.orderId)))) return 'duplicate';
  await write(deps, contribution(order.productIds, order.previousProductIds, ORDER_WEIGHT), `order ${order.orderId}`);
  return 'recorded';
}

/** Views: the weak signal, 0.2 per customer who viewed a product, or both of a pair. */
export async function recordViews(deps: RecommendationStoreDeps, views: ViewsToRecord): Promise<RecordOutcome> {
  if (!(await claim(deps, viewMarkerKey(views.eventId)))) return 'duplicate';
  await write(deps, contribution(views.productIds, views.previousViewedIds, VIEW_WEIGHT), `view event ${views.eventId}`);
  return 'recorded';
}

/**
 * Creates the marker; false when it exists (recorded before). A marker names no customer: it
 * outlives an erasure, and must not keep who ordered what.
 */
async function claim(deps: RecommendationStoreDeps, key: { pk: string; sk: string }): Promise<boolean> {
  const now = Date.now();
  try {
    await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          ...key,
          kind: 'recommendation-marker',
          recordedAt: new Date(now).toISOString(),
          [TTL_ATTRIBUTE]: Math.floor(now / 1000) + MARKER_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Counts first, then pairs in both directions. Every write is attempted even when one fails, so
 * that a failure loses only its own count; then the failure is reported. A retry of the event finds
 * the marker and writes nothing more (see the top of this file).
 */
async function write(deps: RecommendationStoreDeps, { counts, pairs, weight }: Contribution, what: string): Promise<void> {
  const countUpdates = counts.map((productId) => () => add(deps, productCountKey(productId), 'count', 'product-count', weight));
  const pairUpdates = pairs.flatMap(([a, b]) => [
    () => add(deps, pairKey(a, b), 'weight', 'product-pair', weight),
    () => add(deps, pairKey(b, a), 'weight', 'product-pair', weight),
  ]);
  const failures = [...(await inBatches(countUpdates)), ...(await inBatches(pairUpdates))];
  if (failures.length > 0) {
    throw new AggregateError(
      failures,
      `${failures.length} of ${countUpdates.length + pairUpdates.length} co-occurrence writes of ${what} failed; they are not retried`,
    );
  }
}

async function inBatches(updates: readonly (() => Promise<unknown>)[]): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (let start = 0; start < updates.length; start += WRITE_CONCURRENCY) {
    const results = await Promise.allSettled(updates.slice(start, start + WRITE_CONCURRENCY).map((update) => update()));
    for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
  }
  return failures;
}

function add(deps: RecommendationStoreDeps, key: { pk: string; sk: string }, attribute: string, kind: string, weight: number) {
  return deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: key,
      UpdateExpression: 'SET #kind = :kind ADD #value :weight',
      ExpressionAttributeNames: { '#kind': 'kind', '#value': attribute },
      ExpressionAttributeValues: { ':kind': kind, ':weight': weight },
    }),
  );
}

/**
 * The `limit` products most similar to each of `productIds`. For each product, one Query reads all
 * its pairs; the 50 with the largest weights (a minimum support: a pair seen once among thousands
 * says little) are ranked by similarity, which needs their counts, read in one BatchGetItem.
 */
export async function neighbours(deps: RecommendationStoreDeps, productIds: readonly string[], limit: number): Promise<Neighbours> {
  const bases = [...new Set(productIds)];
  const partnersOf = new Map(await Promise.all(bases.map(async (id) => [id, topByWeight(await readPairs(deps, id))] as const)));
  const counts = await readCounts(deps, [...new Set([...bases, ...[...partnersOf.values()].flatMap((partners) => partners.map(([id]) => id))])]);
  return Object.fromEntries(
    bases.map((id): [string, Neighbour[]] => [
      id,
      topNeighbours(
        (partnersOf.get(id) ?? []).map(([other, weight]) => ({
          productId: other,
          similarity: similarity(weight, counts.get(id) ?? 0, counts.get(other) ?? 0),
        })),
        limit,
      ),
    ]),
  );
}

function topByWeight(partners: readonly (readonly [string, number])[]): (readonly [string, number])[] {
  return [...partners].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, CANDIDATES_PER_PRODUCT);
}

async function readPairs(deps: RecommendationStoreDeps, productId: string): Promise<[string, number][]> {
  const pairs: [string, number][] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :also)',
        ExpressionAttributeValues: { ':pk': productPk(productId), ':also': ALSO_SK_PREFIX },
        ProjectionExpression: '#sk, #weight',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#weight': 'weight' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) pairs.push([otherProductOf(String(item.sk)), Number(item.weight)]);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return pairs;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readCounts(deps: RecommendationStoreDeps, productIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < productIds.length; start += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] = productIds.slice(start, start + BATCH_GET_LIMIT).map(productCountKey);
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt === BATCH_GET_ATTEMPTS) throw new Error(`${keys.length} product counts stayed unprocessed after ${BATCH_GET_ATTEMPTS} attempts`);
      if (attempt > 0) await sleep(Math.min(1_000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const page = await deps.ddb.send(
        new BatchGetCommand({
          RequestItems: { [deps.tableName]: { Keys: keys, ProjectionExpression: '#pk, #count', ExpressionAttributeNames: { '#pk': 'pk', '#count': 'count' } } },
        }),
      );
      for (const item of page.Responses?.[deps.tableName] ?? []) counts.set(String(item.pk).slice(productPk('').length), Number(item.count));
      keys = page.UnprocessedKeys?.[deps.tableName]?.Keys ?? [];
    }
  }
  return counts;
}
