/**
 * Interests: how strongly a customer leans towards each product or content category, from what they
 * look at, put in a cart and buy. Each signal adds its weight to the category's score, and scores
 * halve every 14 days, so that last week's browsing outweighs last season's.
 *
 * Stored in the profile, so kept small: at most 8 categories (when a ninth arrives, the weakest
 * after decay to the newest time held is dropped), category names cut to 40 characters, scores
 * rounded to 2 decimals and times to the second. About 8 × 60 bytes of JSON at most.
 *
 * Each category holds its score as of its own time `at`. Out of order: a signal older than the
 * category's time is decayed to that time before it is added (see decay.ts), so a late event never
 * counts for more than it would have on time, and never moves `at` back.
 */
import { accumulate, valueAt } from './decay.ts';
import { millis, round, stamp, type Instant } from './time.ts';

export const INTEREST_HALF_LIFE_DAYS = 14;
export const MAX_INTERESTS = 8;
export const MAX_CATEGORY_LENGTH = 40;

/** What each kind of signal adds to its category's score. */
export const INTEREST_WEIGHTS = {
  'product.viewed': 1,
  'content.viewed': 0.5,
  'cart.updated': 2,
  'order.placed': 3,
} as const;

export type InterestSignal = keyof typeof INTEREST_WEIGHTS;

export interface Interest {
  /** The score as of `at`. */
  readonly score: number;
  readonly at: string;
}

export type Interests = Readonly<Record<string, Interest>>;

export interface Affinity {
  readonly category: string;
  readonly score: number;
}

const SCORE_DECIMALS = 2;

/** The category as it is stored: trimmed and cut to the maximum length. */
export const categoryKey = (category: string): string => category.trim().slice(0, MAX_CATEGORY_LENGTH);

/** Strongest first; equal scores by category name, so the order never depends on insertion. */
const byStrength = (a: Affinity, b: Affinity): number => b.score - a.score || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0);

function decayedAll(interests: Interests, nowMs: number): Affinity[] {
  return Object.entries(interests)
    .map(([category, interest]) => ({ category, score: valueAt({ value: interest.score, atMs: millis(interest.at) }, nowMs, INTEREST_HALF_LIFE_DAYS) }))
    .sort(byStrength);
}

/**
 * Adds a signal of `weight` for `category` that happened at `at`. A blank category or a weight that
 * is not a positive number leaves the interests as they are.
 */
export function addInterest(interests: Interests, category: string, weight: number, at: Instant): Interests {
  const key = categoryKey(category);
  if (key === '' || !(weight > 0) || !Number.isFinite(weight)) return interests;
  // Own entries only: a category may be called `constructor` or `__proto__`.
  const current = Object.hasOwn(interests, key) ? interests[key] : undefined;
  const added = accumulate(current && { value: current.score, atMs: millis(current.at) }, weight, millis(at), INTEREST_HALF_LIFE_DAYS);
  const next: Record<string, Interest> = { ...interests, [key]: { score: round(added.value, SCORE_DECIMALS), at: stamp(added.atMs) } };
  if (Object.keys(next).length <= MAX_INTERESTS) return next;
  // Compare at the newest time held, so that a category is not favoured for being stamped earlier.
  const newest = Math.max(...Object.values(next).map((interest) => millis(interest.at)));
  const kept = decayedAll(next, newest).slice(0, MAX_INTERESTS);
  return Object.fromEntries(kept.map(({ category }) => [category, next[category] as Interest]));
}

/** Adds the weight of a kind of signal (see INTEREST_WEIGHTS). */
export const addInterestSignal = (interests: Interests, category: string, signal: InterestSignal, at: Instant): Interests =>
  addInterest(interests, category, INTEREST_WEIGHTS[signal], at);

/** The categories by score decayed to `now`, strongest first; scores that round to 0 are left out. */
export function affinities(interests: Interests, now: Instant): Affinity[] {
  return decayedAll(interests, millis(now))
    .map(({ category, score }) => ({ category, score: round(score, SCORE_DECIMALS) }))
    .filter((affinity) => affinity.score > 0);
}
