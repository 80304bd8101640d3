/**
 * Churn risk: signs that a customer is drifting away, each named as a reason.
 *
 * - `overdue`: no order for more than twice the customer's own usual interval between orders. The
 *   usual interval is the median of the intervals between their order days, so one unusually long
 *   or short gap does not move it. Orders are taken by UTC day: several orders on one day (a split
 *   basket) are one purchase, not an interval of 0 that would make the customer overdue the next
 *   morning. It needs at least two order days. With a single one there is no rhythm of the
 *   customer's own to be late against, and borrowing the shop's would call every one-time buyer
 *   at risk the day that average passes; whether a first buyer comes back is the business of
 *   recency (RFM) and of journeys such as a second-purchase nudge, not of this flag.
 * - `declining-usage`: product usage is declining (see usage.ts, `isDeclining`).
 * - `cancelled`: the customer cancelled their subscription.
 */
import { DAY_MS, daysBetween, millis, utcDay, type Instant } from './time.ts';

export type ChurnReason = 'overdue' | 'declining-usage' | 'cancelled';

export interface ChurnInput {
  /** When each of the customer's orders was placed, in any order. */
  readonly orderDates: readonly Instant[];
  readonly now: Instant;
  readonly usageDeclining: boolean;
  readonly cancelled: boolean;
}

export interface ChurnRisk {
  readonly atRisk: boolean;
  /** In the order overdue, declining-usage, cancelled. */
  readonly reasons: ChurnReason[];
}

export const OVERDUE_FACTOR = 2;

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The median number of days between the customer's distinct order days; undefined under two. */
export function usualOrderInterval(orderDates: readonly Instant[]): number | undefined {
  const days = [...new Set(orderDates.map(utcDay))].sort();
  return median(days.slice(1).map((day, index) => daysBetween(days[index] as string, day)));
}

/** True when the latest order is more than twice the usual interval before `now`. */
export function isOverdue(orderDates: readonly Instant[], now: Instant): boolean {
  const usual = usualOrderInterval(orderDates);
  if (usual === undefined) return false;
  const last = Math.max(...orderDates.map(millis));
  return (millis(now) - last) / DAY_MS > OVERDUE_FACTOR * usual;
}

export function churnRisk({ orderDates, now, usageDeclining, cancelled }: ChurnInput): ChurnRisk {
  const reasons: ChurnReason[] = [];
  if (isOverdue(orderDates, now)) reasons.push('overdue');
  if (usageDeclining) reasons.push('declining-usage');
  if (cancelled) reasons.push('cancelled');
  return { atRisk: reasons.length > 0, reasons };
}
