/**
 * Engagement: one number from 0 to 100 for how active a customer has been lately, across the shop,
 * email and the product. Each event adds points by its kind; points halve every 7 days; the score
 * is 100 · p / (p + 10) for p points, which is 0 with no activity, 50 at 10 points, 75 at 30 and
 * approaches but never reaches 100, so that a burst of telemetry cannot push it past a customer who
 * also buys.
 *
 * The state is two fields — points (2 decimals) and the time they are valid at (to the second) —
 * updated per event; out-of-order events are decayed to the stored time (see decay.ts). Email opens
 * weigh little: mail clients that prefetch images report opens nobody made.
 */
import { accumulate, valueAt } from './decay.ts';
import { millis, round, stamp, type Instant } from './time.ts';

export const ENGAGEMENT_HALF_LIFE_DAYS = 7;

/** The points at which the score is 50. */
export const ENGAGEMENT_HALF_SCORE_POINTS = 10;

export const ENGAGEMENT_WEIGHTS = {
  'product.viewed': 1,
  'content.viewed': 1,
  'cart.updated': 2,
  'order.placed': 5,
  'email.opened': 0.5,
  'email.clicked': 2,
  'usage.recorded': 1,
} as const;

export type EngagementEvent = keyof typeof ENGAGEMENT_WEIGHTS;

export interface Engagement {
  /** Points as of `at`. */
  readonly points: number;
  readonly at: string;
}

export const isEngagementEvent = (detailType: string): detailType is EngagementEvent => Object.hasOwn(ENGAGEMENT_WEIGHTS, detailType);

/** Adds the points of an event of `kind` that happened at `at`. */
export function recordEngagement(state: Engagement | undefined, kind: EngagementEvent, at: Instant): Engagement {
  const added = accumulate(state && { value: state.points, atMs: millis(state.at) }, ENGAGEMENT_WEIGHTS[kind], millis(at), ENGAGEMENT_HALF_LIFE_DAYS);
  return { points: round(added.value, 2), at: stamp(added.atMs) };
}

/** The score at `now`, a whole number from 0 to 100 (0 without any recorded activity). */
export function engagementScore(state: Engagement | undefined, now: Instant): number {
  if (state === undefined) return 0;
  const points = valueAt({ value: state.points, atMs: millis(state.at) }, millis(now), ENGAGEMENT_HALF_LIFE_DAYS);
  return Math.round((100 * points) / (points + ENGAGEMENT_HALF_SCORE_POINTS));
}
