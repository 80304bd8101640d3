/**
 * Product usage, from `usage.recorded` telemetry: how much a customer used the product on each UTC
 * day, for the last 60 days, which is all that the rolling windows and the decline check need.
 *
 * Kept in the profile, so bounded: at most 60 days (`YYYY-MM-DD` → quantity, 2 decimals). The 60
 * days are those ending on the latest day recorded: with latest day L, days L−59 … L are kept, and
 * an event for L−60 or earlier is dropped. A late event lands on its own day as long as that day is
 * still kept. Days with nothing used are not stored.
 *
 * Milestones, each reached once the state shows it:
 *
 * | milestone       | reached when                                                        |
 * |-----------------|---------------------------------------------------------------------|
 * | `activated`     | the customer activated a product (a first `product.activated`)      |
 * | `active-3-days` | usage on 3 different days among the days kept                       |
 * | `power-user`    | at least 20 units used within some 30 consecutive days among those kept |
 *
 * The usage kept moves on, so a milestone can be reached and later no longer show; a caller that
 * announces milestones should remember the ones it announced.
 */
import { addDays, round, utcDay, type Instant } from './time.ts';

export type UsageDays = Readonly<Record<string, number>>;

export const USAGE_DAYS_KEPT = 60;
export const DECLINE_WINDOW_DAYS = 30;
export const POWER_USER_UNITS = 20;
export const POWER_USER_WINDOW_DAYS = 30;
export const ACTIVE_DAYS_MILESTONE = 3;

export const MILESTONES = ['activated', 'active-3-days', 'power-user'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Adds `quantity` (1 when the event names none) to the UTC day of `occurredAt`. */
export function recordUsage(usage: UsageDays, occurredAt: Instant, quantity = 1): UsageDays {
  if (!(quantity > 0) || !Number.isFinite(quantity)) return usage;
  const day = utcDay(occurredAt);
  const next: Record<string, number> = { ...usage, [day]: round((usage[day] ?? 0) + quantity, 2) };
  const latest = Object.keys(next).sort().at(-1) as string;
  const oldestKept = addDays(latest, -(USAGE_DAYS_KEPT - 1));
  return Object.fromEntries(
    Object.entries(next)
      .filter(([kept]) => kept >= oldestKept)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** Units used from `from` to `to` (UTC days, both included). */
function usedBetween(usage: UsageDays, from: string, to: string): number {
  return round(
    Object.entries(usage).reduce((sum, [day, quantity]) => (day >= from && day <= to ? sum + quantity : sum), 0),
    2,
  );
}

/** Units used in the `days` days ending on the UTC day of `now`, that day included (7 and 30 are the usual windows). */
export function rollingUsage(usage: UsageDays, now: Instant, days: number): number {
  const today = utcDay(now);
  return usedBetween(usage, addDays(today, -(days - 1)), today);
}

/**
 * True when the last 30 days (today included) used less than half of the 30 days before them, and
 * those 30 days used something: without a baseline there is nothing to decline from.
 */
export function isDeclining(usage: UsageDays, now: Instant): boolean {
  const today = utcDay(now);
  const recent = usedBetween(usage, addDays(today, -(DECLINE_WINDOW_DAYS - 1)), today);
  const before = usedBetween(usage, addDays(today, -(2 * DECLINE_WINDOW_DAYS - 1)), addDays(today, -DECLINE_WINDOW_DAYS));
  return before > 0 && recent < before / 2;
}

/** The most used in any `windowDays` consecutive days. */
function busiestWindow(usage: UsageDays, windowDays: number): number {
  const days = Object.keys(usage).sort();
  return Math.max(0, ...days.map((first) => usedBetween(usage, first, addDays(first, windowDays - 1))));
}

export interface MilestoneInput {
  /** How many `product.activated` events the customer has had. */
  readonly activations: number;
  readonly usage: UsageDays;
}

/** The milestones the customer has reached, in the order of MILESTONES. */
export function milestonesReached({ activations, usage }: MilestoneInput): Milestone[] {
  const reached: Milestone[] = [];
  if (activations >= 1) reached.push('activated');
  if (Object.values(usage).filter((quantity) => quantity > 0).length >= ACTIVE_DAYS_MILESTONE) reached.push('active-3-days');
  if (busiestWindow(usage, POWER_USER_WINDOW_DAYS) >= POWER_USER_UNITS) reached.push('power-user');
  return reached;
}
