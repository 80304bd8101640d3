/**
 * Pinpoint states durations in ISO 8601 (`P2D`, `PT1H30M`); journeys here write `2d`, `90m`.
 * Months and years have no fixed length and seconds no unit here, so those are not translated.
 */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO 8601 duration of weeks, days, hours, minutes and seconds; undefined for any other. */
export function isoSeconds(text: string): number | undefined {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds;
}

const UNITS = [
  ['w', 604_800],
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
] as const;

/** `P2D` → `2d`, `PT90M` → `90m`, `PT1H30M` → `90m`; undefined when no unit here states it exactly. */
export function durationFromIso(text: string): string | undefined {
  const seconds = isoSeconds(text);
  if (seconds === undefined || seconds === 0) return undefined;
  for (const [unit, size] of UNITS) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return undefined;
}

/** An EventBridge rate for a refresh frequency: `PT1H` → `rate(1 hour)`, `P1D` → `rate(1 day)`. */
export function rateFromIso(text: string): string | undefined {
  const seconds = isoSeconds(text);
  if (seconds === undefined || seconds === 0) return undefined;
  for (const [unit, size] of [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ] as const) {
    if (seconds % size === 0) {
      const amount = seconds / size;
      return `rate(${amount} ${unit}${amount === 1 ? '' : 's'})`;
    }
  }
  return undefined;
}
