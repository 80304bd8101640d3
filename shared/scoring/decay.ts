/**
 * Exponential decay: a value halves every half-life, so recent signals count more than old ones
 * without keeping the signals themselves. An accumulator holds one value and the time it is valid
 * at; a signal is added by first bringing both to the same time.
 *
 * Signals may arrive out of order. A signal newer than the accumulator decays the accumulator to the
 * signal's time and moves it forward. A signal older than the accumulator is decayed to the
 * accumulator's time and added there: it counts as much as it would have had it arrived on time,
 * never more, and the accumulator's time does not move back. Decay never runs backwards: reading a
 * value at a time before its own returns it unchanged rather than inflated.
 */
import { DAY_MS } from './time.ts';

export interface Accumulated {
  readonly value: number;
  /** Epoch milliseconds the value is valid at. */
  readonly atMs: number;
}

/** The share of a value left after `elapsedMs`; 1 for no time or negative time. */
export const decayFactor = (elapsedMs: number, halfLifeDays: number): number => 0.5 ** (Math.max(0, elapsedMs) / (halfLifeDays * DAY_MS));

/** The accumulated value as of `nowMs`. */
export const valueAt = (accumulated: Accumulated, nowMs: number, halfLifeDays: number): number =>
  accumulated.value * decayFactor(nowMs - accumulated.atMs, halfLifeDays);

/** Adds a signal of `weight` that happened at `atMs`. */
export function accumulate(current: Accumulated | undefined, weight: number, atMs: number, halfLifeDays: number): Accumulated {
  if (current === undefined) return { value: weight, atMs };
  if (atMs >= current.atMs) return { value: valueAt(current, atMs, halfLifeDays) + weight, atMs };
  return { value: current.value + weight * decayFactor(current.atMs - atMs, halfLifeDays), atMs: current.atMs };
}
