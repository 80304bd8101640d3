/**
 * Time as the scoring code sees it: an instant given as a Date, an ISO 8601 string or epoch
 * milliseconds, read as epoch milliseconds; UTC days as `YYYY-MM-DD`; and a compact UTC stamp to
 * the second for what is stored in a profile (the milliseconds of an event time add nothing there).
 */
export type Instant = Date | string | number;

export const DAY_MS = 86_400_000;

export function millis(instant: Instant): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a point in time: ${String(instant)}`);
  return ms;
}

/** `2026-11-22T12:00:00Z`: UTC, to the second. */
export const stamp = (instant: Instant): string => `${new Date(Math.floor(millis(instant) / 1000) * 1000).toISOString().slice(0, 19)}Z`;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const utcDay = (instant: Instant): string => new Date(millis(instant)).toISOString().slice(0, 10);

/** Whole days from the UTC day `from` to the UTC day `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The UTC day `days` days after `day` (before it when negative). */
export const addDays = (day: string, days: number): string => utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);

/** Rounds to a number of decimals, for what is stored or shown. */
export const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};
