import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderMarkerKey, pairKey, productCountKey, viewMarkerKey } from '#shared/scoring/recommendation-keys.ts';
import { neighbours, recordOrder, recordViews, type RecommendationStoreDeps } from '#shared/scoring/recommendation-store.ts';
import { coOccurrences, neighboursOf, recommend } from '#shared/scoring/recommendations.ts';
import { learnFromEvent } from '#shared/scoring/learn-products.ts';
import { catalogEvent, fixture } from '#tests/fixtures/events.ts';
import type { Template } from '#local/dynamodb/tables.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { defaultStack } from '#tests/support/stack.ts';

/**
 * The shop of tests/unit/scoring/recommendations.test.ts, order by order:
 *   c1: o1 [A, B], o2 [C]; c2: o3 [A, B]; c3: o4 [A], o5 [A, D]; c4: o6 [B, C]; c5: o7 [A]
 * counts A 4, B 3, C 2, D 1; pairs A–B 2, B–C 2, A–C 1, A–D 1.
 */
const ORDERS = [
  { customerId: 'c1', orderId: 'o1', productIds: ['A', 'B'], previousProductIds: [] },
  { customerId: 'c1', orderId: 'o2', productIds: ['C'], previousProductIds: ['A', 'B'] },
  { customerId: 'c2', orderId: 'o3', productIds: ['A', 'B'], previousProductIds: [] },
  { customerId: 'c3', orderId: 'o4', productIds: ['A'], previousProductIds: [] },
  { customerId: 'c3', orderId: 'o5', productIds: ['A', 'D'], previousProductIds: ['A'] },
  { customerId: 'c4', orderId: 'o6', productIds: ['B', 'C'], previousProductIds: [] },
  { customerId: 'c5', orderId: 'o7', productIds: ['A'], previousProductIds: [] },
];

let dynamo: LocalDynamo;
let deps: RecommendationStoreDeps;

const read = async (key: { pk: string; sk: string }) =>
  (await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }))).Item;

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
  deps = { ddb: dynamo.ddb, tableName: dynamo.tableNames[0] ?? '' };
});

afterAll(async () => {
  await dynamo.close();
});

describe('the recommendation store', () => {
  it('counts each order once, however often it is delivered', async () => {
    for (const order of ORDERS) expect(await recordOrder(deps, order)).toBe('recorded');
    // o1 and o5 delivered again
    for (const order of ORDERS.filter(({ orderId }) => orderId === 'o1' || orderId === 'o5')) expect(await recordOrder(deps, order)).toBe('duplicate');

    expect((await read(productCountKey('A')))?.count).toBe(4); // c1 c2 c3 c5, not 5 with the replay
    expect((await read(productCountKey('B')))?.count).toBe(3);
    expect((await read(productCountKey('D')))?.count).toBe(1);
    expect((await read(pairKey('A', 'B')))?.weight).toBe(2); // c1 c2, not 3 with the replay
    expect((await read(pairKey('B', 'A')))?.weight).toBe(2);
    expect((await read(pairKey('C', 'B')))?.weight).toBe(2); // c1 across two orders, c4
    expect((await read(pairKey('D', 'A')))?.weight).toBe(1);
    expect(await read(pairKey('B', 'D'))).toBeUndefined();
  });

  it('marks each order with an expiry', async () => {
    const marker = await read(orderMarkerKey('o1'));
    expect(marker).toMatchObject({ kind: 'recommendation-marker' });
    expect(marker).not.toHaveProperty('customerId');
    // kept about 800 days
    expect(Number(marker?.expiresAt)).toBeGreaterThan(Date.now() / 1000 + 799 * 86_400);
  });

  it('reads neighbours ranked by similarity, as the pure functions compute them', async () => {
    const found = await neighbours(deps, ['B', 'D', 'B'], 5);
    // B: C 2 / √(3 · 2) = 0.8165, A 2 / √(3 · 4) = 0.5774; D: A 1 / √(1 · 4) = 0.5
    expect(found).toEqual({
      B: [
        { productId: 'C', similarity: 0.8165 },
        { productId: 'A', similarity: 0.5774 },
      ],
      D: [{ productId: 'A', similarity: 0.5 }],
    });
    const co = coOccurrences([
      { orders: [['A', 'B'], ['C']] },
      { orders: [['A', 'B']] },
      { orders: [['A'], ['A', 'D']] },
      { orders: [['B', 'C']] },
      { orders: [['A']] },
    ]);
    expect(found).toEqual({ B: neighboursOf(co, 'B', 5), D: neighboursOf(co, 'D', 5) });
    // A customer who bought B and D: A = 0.5774 + 0.5 = 1.0774, C = 0.8165
    expect(recommend({ basedOn: ['B', 'D'], neighbours: found, exclude: ['B', 'D'], limit: 3 })).toEqual([
      { productId: 'A', score: 1.0774 },
      { productId: 'C', score: 0.8165 },
    ]);
    expect(await neighbours(deps, ['B'], 1)).toEqual({ B: [{ productId: 'C', similarity: 0.8165 }] });
  });

  it('knows no neighbours of a product never bought', async () => {
    expect(await neighbours(deps, ['nobody-bought-this'], 5)).toEqual({ 'nobody-bought-this': [] });
    expect(await neighbours(deps, [], 5)).toEqual({});
  });

  it('writes nothing for an order whose marker exists, as after a crash past the marker', async () => {
    await deps.ddb.send(new PutCommand({ TableName: deps.tableName, Item: { ...orderMarkerKey('o-crashed'), kind: 'recommendation-marker' } }));
    expect(await recordOrder(deps, { customerId: 'c9', orderId: 'o-crashed', productIds: ['Q', 'R'], previousProductIds: [] })).toBe('duplicate');
    expect(await read(productCountKey('Q'))).toBeUndefined();
  });

  it('counts views at 0.2, once per view event', async () => {
    // three customers view X then Y; the second customer's view of Y is delivered twice
    for (const customerId of ['v1', 'v2', 'v3']) {
      expect(await recordViews(deps, { customerId, eventId: `${customerId}-x`, productIds: ['X'], previousViewedIds: [] })).toBe('recorded');
      expect(await recordViews(deps, { customerId, eventId: `${customerId}-y`, productIds: ['Y'], previousViewedIds: ['X'] })).toBe('recorded');
    }
    expect(await recordViews(deps, { customerId: 'v2', eventId: 'v2-y', productIds: ['Y'], previousViewedIds: ['X'] })).toBe('duplicate');
    expect(await read(viewMarkerKey('v2-y'))).toMatchObject({ kind: 'recommendation-marker' });
    // 0.2 + 0.2 + 0.2 = 0.6, in DynamoDB's decimal arithmetic
    expect((await read(productCountKey('X')))?.count).toBe(0.6);
    expect((await read(pairKey('Y', 'X')))?.weight).toBe(0.6);
    // 0.6 / √(0.6 · 0.6) = 1
    expect(await neighbours(deps, ['X'], 5)).toEqual({ X: [{ productId: 'Y', similarity: 1 }] });
  });
  it('says what it learnt from an event: an order recorded, the same order again a duplicate, a type it learns nothing from', async () => {
    const order = catalogEvent('order.placed', { eventId: 'learn-1', data: { ...fixture('order.placed').detail.data, orderId: 'o-learn' } });
    const signup = catalogEvent('lead.captured');

    expect(await learnFromEvent(deps, order, 'c-learn', undefined)).toBe('recorded');
    expect(await learnFromEvent(deps, order, 'c-learn', undefined)).toBe('duplicate');
    expect(await learnFromEvent(deps, signup, 'c-learn', undefined)).toBe('nothing-to-learn');
  });
});
