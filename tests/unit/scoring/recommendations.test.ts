import { describe, expect, it } from 'vitest';
import {
  MAX_PREVIOUS_PRODUCTS,
  MAX_PRODUCTS_PER_SIGNAL,
  coOccurrences,
  contribution,
  neighboursOf,
  recommend,
  similarity,
  type CustomerHistory,
  type Neighbours,
} from '#shared/scoring/recommendations.ts';

/**
 * Five customers. A sells to nearly everyone.
 *   c1: [A, B] then [C]   → bought A, B, C
 *   c2: [A, B]            → A, B
 *   c3: [A] then [A, D]   → A, D (A again adds nothing)
 *   c4: [B, C]            → B, C
 *   c5: [A]               → A
 * counts: A 4 (c1 c2 c3 c5), B 3 (c1 c2 c4), C 2 (c1 c4), D 1 (c3)
 * pairs:  A–B 2 (c1 c2), B–C 2 (c1 across orders, c4), A–C 1 (c1 across orders), A–D 1 (c3)
 */
const SHOP: readonly CustomerHistory[] = [
  { orders: [['A', 'B'], ['C']] },
  { orders: [['A', 'B']] },
  { orders: [['A'], ['A', 'D']] },
  { orders: [['B', 'C']] },
  { orders: [['A']] },
];

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, index) => `${prefix}${index + 1}`);

describe("what one customer's order adds", () => {
  it('counts each product of a first order and pairs them', () => {
    expect(contribution(['A', 'B'], [], 1)).toEqual({ counts: ['A', 'B'], pairs: [['A', 'B']], weight: 1 });
  });

  it('pairs a new product with what the customer bought before', () => {
    expect(contribution(['C'], ['B', 'A'], 1)).toEqual({
      counts: ['C'],
      pairs: [
        ['C', 'B'],
        ['C', 'A'],
      ],
      weight: 1,
    });
  });

  it('counts a product bought again only once, but pairs it with the new products beside it', () => {
    expect(contribution(['A', 'D'], ['A'], 1)).toEqual({ counts: ['D'], pairs: [['D', 'A']], weight: 1 });
    expect(contribution(['A'], ['A'], 1)).toEqual({ counts: [], pairs: [], weight: 1 });
  });

  it('takes each product of an order once', () => {
    expect(contribution(['A', 'A', 'B'], [], 1)).toEqual({ counts: ['A', 'B'], pairs: [['A', 'B']], weight: 1 });
  });

  it('bounds the products of an order and of the history', () => {
    expect([MAX_PRODUCTS_PER_SIGNAL, MAX_PREVIOUS_PRODUCTS]).toEqual([20, 30]);
    const big = contribution(ids(25, 'p'), [], 1);
    // the first 20 count; 20 · 19 / 2 = 190 pairs
    expect(big.counts).toEqual(ids(20, 'p'));
    expect(big.pairs).toHaveLength(190);
    const history = ids(35, 'q');
    const late = contribution(['x'], history, 1);
    // paired with the 30 most recent (the first 30)
    expect(late.pairs.map(([, other]) => other)).toEqual(ids(30, 'q'));
    // but the whole history decides what was bought before: q35 is not counted again
    expect(contribution(['q35'], history, 1).counts).toEqual([]);
  });
});

describe('co-occurrence', () => {
  const co = coOccurrences(SHOP);

  it('counts customers, not orders', () => {
    expect(Object.fromEntries(co.counts)).toEqual({ A: 4, B: 3, C: 2, D: 1 });
    expect(Object.fromEntries(co.pairs.get('A') ?? [])).toEqual({ B: 2, C: 1, D: 1 });
    expect(Object.fromEntries(co.pairs.get('B') ?? [])).toEqual({ A: 2, C: 2 });
    expect(Object.fromEntries(co.pairs.get('C') ?? [])).toEqual({ A: 1, B: 2 });
    expect(Object.fromEntries(co.pairs.get('D') ?? [])).toEqual({ A: 1 });
  });

  it('corrects for popularity', () => {
    // 2 / √(3 · 4) = 2 / 3.4641 = 0.57735
    expect(similarity(2, 3, 4)).toBeCloseTo(0.57735, 5);
    expect(similarity(1, 0, 4)).toBe(0);
    // B–A and B–C were both bought together twice, but A is bought by everyone:
    // C: 2 / √(3 · 2) = 0.81650; A: 2 / √(3 · 4) = 0.57735
    expect(neighboursOf(co, 'B', 5)).toEqual([
      { productId: 'C', similarity: 0.8165 },
      { productId: 'A', similarity: 0.5774 },
    ]);
    // A: B 0.57735; D 1 / √(4 · 1) = 0.5; C 1 / √(4 · 2) = 0.35355
    expect(neighboursOf(co, 'A', 2)).toEqual([
      { productId: 'B', similarity: 0.5774 },
      { productId: 'D', similarity: 0.5 },
    ]);
    expect(neighboursOf(co, 'unknown', 5)).toEqual([]);
  });

  it('counts views at 0.2, once per customer, pairing views with views', () => {
    // c1 buys X and Y; c2 views X, Y, X again, then Z
    const withViews = coOccurrences([{ orders: [['X', 'Y']] }, { orders: [], views: ['X', 'Y', 'X', 'Z'] }]);
    // X: 1 + 0.2 = 1.2; Y: 1 + 0.2 = 1.2; Z: 0.2 (the second view of X adds nothing)
    expect(Object.fromEntries(withViews.counts)).toEqual({ X: 1.2, Y: 1.2, Z: 0.2 });
    // X–Y: 1 + 0.2 = 1.2; Z–X and Z–Y: 0.2
    expect(Object.fromEntries(withViews.pairs.get('X') ?? [])).toEqual({ Y: 1.2, Z: 0.2 });
    // X: Y 1.2 / √(1.2 · 1.2) = 1; Z 0.2 / √(1.2 · 0.2) = 0.2 / 0.48990 = 0.40825
    expect(neighboursOf(withViews, 'X', 5)).toEqual([
      { productId: 'Y', similarity: 1 },
      { productId: 'Z', similarity: 0.4082 },
    ]);
  });
});

describe('recommending', () => {
  const co = coOccurrences(SHOP);
  const neighbours: Neighbours = Object.fromEntries(['A', 'B', 'C', 'D'].map((id) => [id, neighboursOf(co, id, 10)]));

  it('ranks by summed similarity', () => {
    // based on B and D: A = 0.57735 (from B) + 0.5 (from D) = 1.07735; C = 0.81650 (from B)
    expect(recommend({ basedOn: ['B', 'D'], neighbours, exclude: [], limit: 5 })).toEqual([
      { productId: 'A', score: 1.0774 },
      { productId: 'C', score: 0.8165 },
    ]);
    expect(recommend({ basedOn: ['B', 'D'], neighbours, exclude: [], limit: 1 })).toEqual([{ productId: 'A', score: 1.0774 }]);
  });

  it('never recommends what the customer bought', () => {
    expect(recommend({ basedOn: ['B', 'D'], neighbours, exclude: ['A'], limit: 5 })).toEqual([{ productId: 'C', score: 0.8165 }]);
  });

  it('never recommends the products it is based on', () => {
    // based on A and B: B and A are each other's neighbours, and both are left out.
    // C = 0.35355 (from A) + 0.81650 (from B) = 1.17005; D = 0.5 (from A)
    expect(recommend({ basedOn: ['A', 'B'], neighbours, exclude: [], limit: 5 })).toEqual([
      { productId: 'C', score: 1.1701 },
      { productId: 'D', score: 0.5 },
    ]);
  });

  it('orders equal scores by product id, and counts a product it is based on twice only once', () => {
    const even: Neighbours = {
      P: [
        { productId: 'z', similarity: 0.5 },
        { productId: 'y', similarity: 0.5 },
      ],
    };
    expect(recommend({ basedOn: ['P', 'P'], neighbours: even, exclude: [], limit: 5 })).toEqual([
      { productId: 'y', score: 0.5 },
      { productId: 'z', score: 0.5 },
    ]);
  });

  it('recommends nothing without neighbours or room', () => {
    expect(recommend({ basedOn: ['unknown'], neighbours, exclude: [], limit: 5 })).toEqual([]);
    expect(recommend({ basedOn: ['B'], neighbours, exclude: [], limit: 0 })).toEqual([]);
  });
});
