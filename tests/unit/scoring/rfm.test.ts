import { describe, expect, it } from 'vitest';
import { quintiles, rfmSegment, scoreCustomerBase, type CustomerPurchases } from '#shared/scoring/rfm.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();

// score = 1 + floor(5 · (2 · below + tied) / (2n)), below: customers with a worse value, tied: with the same.
describe('quintiles', () => {
  it('scores five distinct values 1 to 5, whatever their order', () => {
    // below = i, tied = 1: 5 · (2i + 1) / 10 = i + 0.5 → i + 1
    expect(quintiles([10, 20, 30, 40, 50])).toEqual([1, 2, 3, 4, 5]);
    expect(quintiles([50, 10, 40, 20, 30])).toEqual([5, 1, 4, 2, 3]);
  });

  it('puts two customers in each fifth of ten', () => {
    // 5 · (2i + 1) / 20 = (2i + 1) / 4: 0.25, 0.75, 1.25, 1.75, …, 4.25, 4.75
    expect(quintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('gives tied values the score of their average rank', () => {
    // 10: 5 · 1 / 10 = 0.5 → 1; the 20s: 5 · (2 + 2) / 10 = 2 → 3; 30: 5 · 7 / 10 = 3.5 → 4; 40: 4.5 → 5
    expect(quintiles([20, 10, 40, 20, 30])).toEqual([3, 1, 5, 3, 4]);
    // a tie on a boundary rounds up: the 1s: 5 · (0 + 2) / 10 = 1 → 2; 2: 5 · 5 / 10 = 2.5 → 3; 3: 3.5 → 4; 4: 4.5 → 5
    expect(quintiles([1, 1, 2, 3, 4])).toEqual([2, 2, 3, 4, 5]);
  });

  it('scores everyone 3 when everyone is tied', () => {
    // 5 · (0 + 5) / 10 = 2.5 → 3
    expect(quintiles([7, 7, 7, 7, 7])).toEqual([3, 3, 3, 3, 3]);
  });

  it('spreads fewer than five customers around the middle', () => {
    expect(quintiles([])).toEqual([]);
    // 5 · 1 / 2 = 2.5 → 3
    expect(quintiles([42])).toEqual([3]);
    // 5 · 1 / 4 = 1.25 → 2; 5 · 3 / 4 = 3.75 → 4
    expect(quintiles([1, 2])).toEqual([2, 4]);
    // 5 · 1 / 6 = 0.83 → 1; 5 · 3 / 6 = 2.5 → 3; 5 · 5 / 6 = 4.17 → 5
    expect(quintiles([1, 2, 3])).toEqual([1, 3, 5]);
    // 5/8 = 0.625 → 1; 15/8 = 1.875 → 2; 25/8 = 3.125 → 4; 35/8 = 4.375 → 5
    expect(quintiles([1, 2, 3, 4])).toEqual([1, 2, 4, 5]);
  });
});

describe('RFM segments', () => {
  it.each([
    [{ r: 5, f: 4, m: 4 }, 'champions'], // FM 4
    [{ r: 4, f: 5, m: 3 }, 'champions'], // FM 4
    [{ r: 4, f: 4, m: 3 }, 'loyal'], // FM 3.5
    [{ r: 3, f: 5, m: 5 }, 'loyal'], // R 3 is not recent enough for champions
    [{ r: 5, f: 2, m: 3 }, 'potential'], // FM 2.5
    [{ r: 3, f: 1, m: 1 }, 'potential'], // FM 1
    [{ r: 2, f: 3, m: 3 }, 'at-risk'], // FM 3
    [{ r: 1, f: 5, m: 5 }, 'at-risk'], // FM 5
    [{ r: 2, f: 2, m: 3 }, 'hibernating'], // FM 2.5
    [{ r: 1, f: 1, m: 2 }, 'lost'], // FM 1.5
  ] as const)('%o is %s', (scores, segment) => {
    expect(rfmSegment(scores)).toBe(segment);
  });
});

describe('scoring the customer base', () => {
  const customers: CustomerPurchases[] = [
    { customerId: 'ana', lastOrderAt: daysAgo(2), orders: 6, revenue: 600 },
    { customerId: 'ben', lastOrderAt: daysAgo(10), orders: 4, revenue: 250.5 },
    { customerId: 'cho', lastOrderAt: daysAgo(30), orders: 1, revenue: 40 },
    { customerId: 'zed', lastOrderAt: daysAgo(1), orders: 0, revenue: 0 },
    { customerId: 'dan', lastOrderAt: daysAgo(90), orders: 3, revenue: 320 },
    { customerId: 'eve', lastOrderAt: daysAgo(180), orders: 1, revenue: 30 },
  ];

  it('scores every customer with an order, in the order given', () => {
    // zed has no order and is left out; five customers remain.
    // R, by days 2, 10, 30, 90, 180: 5, 4, 3, 2, 1
    // F, by orders 6, 4, 1, 3, 1 — cho and eve tie at the bottom: 5 · (0 + 2) / 10 = 1 → 2; dan 5 · 5 / 10 = 2.5 → 3; ben 3.5 → 4; ana 4.5 → 5
    // M, by revenue 600, 250.5, 40, 320, 30: ana 5, ben 3, cho 2, dan 4, eve 1
    expect(scoreCustomerBase(customers, NOW)).toEqual([
      { customerId: 'ana', r: 5, f: 5, m: 5, segment: 'champions' }, // FM 5
      { customerId: 'ben', r: 4, f: 4, m: 3, segment: 'loyal' }, // FM 3.5
      { customerId: 'cho', r: 3, f: 2, m: 2, segment: 'potential' }, // FM 2
      { customerId: 'dan', r: 2, f: 3, m: 4, segment: 'at-risk' }, // FM 3.5
      { customerId: 'eve', r: 1, f: 2, m: 1, segment: 'lost' }, // FM 1.5
    ]);
  });

  it('counts recency in whole days, so orders on the same day tie', () => {
    const scored = scoreCustomerBase(
      [
        { customerId: 'a', lastOrderAt: daysAgo(10.2), orders: 1, revenue: 10 },
        { customerId: 'b', lastOrderAt: daysAgo(10.8), orders: 1, revenue: 10 },
        { customerId: 'c', lastOrderAt: daysAgo(-1), orders: 1, revenue: 10 },
      ],
      new Date(NOW),
    );
    // days: 10, 10, 0 (an order after now counts as 0). a and b tie: 5 · (0 + 2) / 6 = 1.67 → 2; c: 5 · 5 / 6 = 4.17 → 5
    expect(scored.map(({ customerId, r }) => [customerId, r])).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 5],
    ]);
  });

  it('compares revenue to the cent', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floating point, and still ties with 0.3: 5 · (0 + 2) / 4 = 2.5 → 3
    const scored = scoreCustomerBase(
      [
        { customerId: 'a', lastOrderAt: daysAgo(1), orders: 1, revenue: 0.1 + 0.2 },
        { customerId: 'b', lastOrderAt: daysAgo(1), orders: 1, revenue: 0.3 },
      ],
      NOW,
    );
    expect(scored.map(({ m }) => m)).toEqual([3, 3]);
  });

  it('scores nobody in an empty base', () => {
    expect(scoreCustomerBase([], NOW)).toEqual([]);
  });
});
