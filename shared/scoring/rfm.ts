/**
 * RFM: each customer with at least one order scored 1–5 on recency (days since the last order),
 * frequency (orders) and monetary value (revenue in the shop's main currency), by quintile across
 * the customer base, 5 being best: the most recent, the most frequent, the highest spend.
 *
 * Quintiles, ties and small bases. Customers are ranked from worst to best on each measure; tied
 * customers share the average of the ranks they occupy (the midrank p, from 1 for the worst to n
 * for the best, in halves for ties). A customer's score is the fifth of the base in which the middle
 * of their share of it falls:
 *
 *     score = 1 + floor(5 · (p − ½) / n)
 *
 * With n a multiple of 5 and no ties this is the plain quintile (n = 10: 1, 1, 2, 2, …, 5, 5). Ties
 * always score alike, whatever the order of the input. With fewer than 5 customers the same rule
 * spreads them over the scale around its middle: one customer scores 3, two score 2 and 4, three
 * 1, 3 and 5, four 1, 2, 4 and 5. And when everyone is tied (all bought once) everyone scores 3: a
 * measure that tells nobody apart says nothing good or bad about anyone.
 *
 * Recency counts whole days (24 hours) since the last order, so two orders on the same day tie; an
 * order after `now` counts as 0 days. Revenue is compared to the cent.
 *
 * Segments, from R and the mean of F and M (FM):
 *
 * | R \ FM | below 3     | 3 to 3.5 | 4 or more |
 * |--------|-------------|----------|-----------|
 * | 5, 4   | potential   | loyal    | champions |
 * | 3      | potential   | loyal    | loyal     |
 * | 2      | hibernating | at-risk  | at-risk   |
 * | 1      | lost        | at-risk  | at-risk   |
 *
 * champions buy recently, often and much; loyal buy regularly; potential bought recently but little
 * so far (often new customers); at-risk used to buy often or much but not lately — the win-back
 * candidates; hibernating bought little, a while ago; lost bought little, longest ago.
 */
import { DAY_MS, millis, round, type Instant } from './time.ts';

export const RFM_SEGMENTS = ['champions', 'loyal', 'potential', 'at-risk', 'hibernating', 'lost'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export type Quintile = 1 | 2 | 3 | 4 | 5;

export interface CustomerPurchases {
  readonly customerId: string;
  /** When the customer's latest order was placed. */
  readonly lastOrderAt: string;
  readonly orders: number;
  /** Revenue in the shop's main currency. */
  readonly revenue: number;
}

export interface RfmScores {
  readonly r: Quintile;
  readonly f: Quintile;
  readonly m: Quintile;
}

export interface CustomerRfm extends RfmScores {
  readonly customerId: string;
  readonly segment: RfmSegment;
}

/** Scores 1–5 for each value, in the order given, higher values scoring higher (see above). */
export function quintiles(values: readonly number[]): Quintile[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const firstIndex = new Map<number, number>();
  const tiedCount = new Map<number, number>();
  sorted.forEach((value, index) => {
    if (!firstIndex.has(value)) firstIndex.set(value, index);
    tiedCount.set(value, (tiedCount.get(value) ?? 0) + 1);
  });
  return values.map((value) => {
    const below = firstIndex.get(value) ?? 0;
    const tied = tiedCount.get(value) ?? 1;
    // p − ½ = below + tied / 2, so 5 · (p − ½) / n = 5 · (2 · below + tied) / (2n), in whole numbers.
    return (1 + Math.floor((5 * (2 * below + tied)) / (2 * n))) as Quintile;
  });
}

export function rfmSegment({ r, f, m }: RfmScores): RfmSegment {
  const fm = (f + m) / 2;
  if (r >= 4 && fm >= 4) return 'champions';
  if (r >= 3) return fm >= 3 ? 'loyal' : 'potential';
  if (fm >= 3) return 'at-risk';
  return r === 2 ? 'hibernating' : 'lost';
}

/** Whole days from the last order to `now`, 0 when the order is later than `now`. */
export const daysSinceLastOrder = (lastOrderAt: string, nowMs: number): number => Math.max(0, Math.floor((nowMs - millis(lastOrderAt)) / DAY_MS));

/** RFM scores and segment for each customer with at least one order, in the order given. */
export function scoreCustomerBase(customers: readonly CustomerPurchases[], now: Instant): CustomerRfm[] {
  const nowMs = millis(now);
  const buyers = customers.filter((customer) => customer.orders >= 1);
  // Fewer days since the last order is better: rank the negated days.
  const r = quintiles(buyers.map((customer) => -daysSinceLastOrder(customer.lastOrderAt, nowMs)));
  const f = quintiles(buyers.map((customer) => customer.orders));
  const m = quintiles(buyers.map((customer) => round(customer.revenue, 2)));
  return buyers.map((customer, index) => {
    const scores = { r: r[index] ?? 3, f: f[index] ?? 3, m: m[index] ?? 3 };
    return { customerId: customer.customerId, ...scores, segment: rfmSegment(scores) };
  });
}
