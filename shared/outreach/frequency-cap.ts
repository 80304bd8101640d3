/** The frequency cap: at most `max` marketing emails per customer in a rolling window. */

export interface FrequencyCap {
  readonly max: number;
  readonly windowDays: number;
}

/** Reads `3/7` (three per seven days). */
export function parseFrequencyCap(text: string): FrequencyCap {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new RangeError(`a frequency cap looks like 3/7 (emails per days), got ${JSON.stringify(text)}`);
  return { max: Number(match[1]), windowDays: Number(match[2]) };
}

const DAY_MS = 86_400_000;

/** Send times still inside the window. */
export function withinWindow(sentAt: readonly string[], now: number, cap: FrequencyCap): string[] {
  const since = now - cap.windowDays * DAY_MS;
  return sentAt.filter((at) => Date.parse(at) > since);
}

export function isCapped(sentAt: readonly string[], now: number, cap: FrequencyCap): boolean {
  return withinWindow(sentAt, now, cap).length >= cap.max;
}
