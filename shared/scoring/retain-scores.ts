/**
 * The retain stage's daily scoring over the whole customer base: RFM quintiles and the segment they
 * put each customer in (champions … lost), and churn risk (no order for twice the customer's own
 * usual interval, declining product usage, a cancelled subscription). The result is the profile
 * attributes that changed, to be recorded as `profile.updated` events:
 *
 * | attribute      | value                                                     |
 * |----------------|-----------------------------------------------------------|
 * | `rfm`          | the three quintiles, e.g. `"545"` (customers with an order) |
 * | `rfmSegment`   | champions, loyal, potential, at-risk, hibernating or lost |
 * | `churnRisk`    | true or false                                              |
 * | `churnReasons` | e.g. `"overdue,cancelled"`, null when not at risk         |
 *
 * Monetary value is the revenue in the base's main currency (the one most orders were paid in);
 * revenue in other currencies is left out rather than converted at a guessed rate.
 */
import type { AttributeValue, Profile } from '../profile/profile.ts';
import { fromDense } from '../profile/interest-and-usage.ts';
import { churnRisk } from './churn.ts';
import { scoreCustomerBase } from './rfm.ts';
import { isDeclining } from './usage.ts';

export interface RetainChange {
  readonly customerId: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** The currency most orders were paid in. */
export function mainCurrency(profiles: readonly Pick<Profile, 'orderHistory'>[]): string | undefined {
  const orders = new Map<string, number>();
  for (const profile of profiles)
    for (const [currency, count] of Object.entries(profile.orderHistory?.byCurrency ?? {})) orders.set(currency, (orders.get(currency) ?? 0) + count);
  return [...orders].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

export function retainChanges(profiles: readonly Profile[], now: Date): RetainChange[] {
  const currency = mainCurrency(profiles);
  const buyers = profiles.filter((profile) => profile.counters.orders > 0 && profile.orderHistory);
  const rfm = new Map(
    scoreCustomerBase(
      buyers.map((profile) => ({
        customerId: profile.customerId,
        lastOrderAt: profile.orderHistory?.lastAt ?? profile.lastActivityAt,
        orders: profile.counters.orders,
        revenue: currency ? (profile.revenue[currency] ?? 0) : 0,
      })),
      now,
    ).map((scores) => [scores.customerId, scores]),
  );
  const changes: RetainChange[] = [];
  for (const profile of profiles) {
    const scores = rfm.get(profile.customerId);
    const risk = churnRisk({
      orderDates: profile.orderHistory?.recentAt ?? [],
      now,
      usageDeclining: profile.usage?.days ? isDeclining(fromDense(profile.usage.days), now) : false,
      cancelled: profile.subscription?.status === 'cancelled',
    });
    const wanted: Record<string, AttributeValue> = {
      ...(scores && { rfm: `${scores.r}${scores.f}${scores.m}`, rfmSegment: scores.segment }),
      churnRisk: risk.atRisk,
      churnReasons: risk.reasons.length > 0 ? risk.reasons.join(',') : null,
    };
    // Nothing to say about a customer never at risk and never scored.
    if (!scores && !risk.atRisk && profile.attributes.churnRisk === undefined) continue;
    const changed = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => profile.attributes[name] !== value));
    if (Object.keys(changed).length > 0) changes.push({ customerId: profile.customerId, attributes: changed });
  }
  return changes;
}
