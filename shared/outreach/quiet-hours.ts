/**
 * Quiet hours: marketing email is not sent at night in the recipient's time zone but deferred to
 * the next allowed time. The window may run past midnight (21:00-08:00).
 */

export interface QuietHours {
  /** Minutes after local midnight when quiet begins. */
  readonly startMinute: number;
  /** Minutes after local midnight when sending may resume. */
  readonly endMinute: number;
}

/** Reads `21:00-08:00`. */
export function parseQuietHours(text: string): QuietHours {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text.trim());
  const minutes = (hours?: string, mins?: string) => Number(hours) * 60 + Number(mins);
  if (!match) throw new RangeError(`quiet hours must look like 21:00-08:00, got ${JSON.stringify(text)}`);
  const startMinute = minutes(match[1], match[2]);
  const endMinute = minutes(match[3], match[4]);
  if (startMinute >= 1440 || endMinute >= 1440) throw new RangeError(`quiet hours must be times of day, got ${text}`);
  return { startMinute, endMinute };
}

function minuteOfDay(time: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(time));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

function inWindow(minute: number, quiet: QuietHours): boolean {
  if (quiet.startMinute === quiet.endMinute) return false;
  return quiet.startMinute < quiet.endMinute
    ? minute >= quiet.startMinute && minute < quiet.endMinute
    : minute >= quiet.startMinute || minute < quiet.endMinute;
}

/**
 * When sending may resume, if `now` falls in the recipient's quiet hours; undefined otherwise.
 * Walks forward minute by minute from the local time, so daylight-saving changes are honoured.
 */
export function quietUntil(now: number, timeZone: string, quiet: QuietHours): Date | undefined {
  let minute = minuteOfDay(now, timeZone);
  if (!inWindow(minute, quiet)) return undefined;
  const startOfMinute = Math.floor(now / 60_000) * 60_000;
  for (let step = 1; step <= 1440; step++) {
    minute = minuteOfDay(startOfMinute + step * 60_000, timeZone);
    if (!inWindow(minute, quiet)) return new Date(startOfMinute + step * 60_000);
  }
  return undefined;
}
