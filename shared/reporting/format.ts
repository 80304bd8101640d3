/**
 * How report figures read, the same in the terminal and on the page: "—" for no data, percentages
 * with one decimal, NPS with its sign, durations in the largest unit that fits.
 */

export const NO_DATA = '—';

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A share in [0, 1] as a percentage: 0.75 → "75.0%". */
export function formatPercent(share: number | null, digits = 1): string {
  return share === null ? NO_DATA : `${(share * 100).toFixed(digits)}%`;
}

/** A relative change with its sign: 0.25 → "+25.0%". */
export function formatLift(lift: number | null): string {
  return lift === null ? NO_DATA : `${lift > 0 ? '+' : ''}${(lift * 100).toFixed(1)}%`;
}

/** NPS, −100 to 100, with its sign: "+16.7", "-5.0", "0.0". */
export function formatNps(score: number | null): string {
  if (score === null) return NO_DATA;
  const text = score.toFixed(1);
  return score > 0 && text !== '0.0' ? `+${text}` : text === '-0.0' ? '0.0' : text;
}

/** A CSAT mean on 1–5: "4.25". */
export function formatCsat(average: number | null): string {
  return average === null ? NO_DATA : average.toFixed(2);
}

export function formatDays(days: number | null): string {
  return days === null ? NO_DATA : `${days.toFixed(1)} d`;
}

/** Seconds in the largest unit that keeps the number readable: "45 s", "12.5 min", "3.2 h", "2.1 d". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return NO_DATA;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** An ISO instant as "2025-01-17 09:30 UTC"; other text as given. */
export function formatInstant(at: string): string {
  const time = Date.parse(at);
  return Number.isNaN(time) ? at : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function journeyLabel(journey: string, version: number): string {
  return `${journey} v${version}`;
}

/** A number with at most `digits` decimals, trailing zeros dropped, for axis ticks: 2.50 → "2.5", 20.0 → "20". */
export function formatShort(value: number, digits = 1): string {
  return String(Number(value.toFixed(digits)));
}

/** A share as a percentage with at most one decimal, for charts: 0.2 → "20%", 0.255 → "25.5%". */
export function formatShortPercent(share: number): string {
  return `${formatShort(share * 100)}%`;
}

/** Counts by reason, largest first: "no-consent 3, capped 1"; "—" when there are none. */
export function formatReasons(counts: Readonly<Partial<Record<string, number>>>): string {
  const entries = Object.entries(counts).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
  if (entries.length === 0) return NO_DATA;
  return entries
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([reason, count]) => `${reason} ${formatCount(count)}`)
    .join(', ');
}
