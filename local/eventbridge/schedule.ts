/**
 * Schedule expressions, as EventBridge rules and EventBridge Scheduler take them: `rate(5 minutes)`,
 * `cron(0 8 * * ? *)` (minutes hours day-of-month month day-of-week year; `?`, ranges, lists,
 * steps, names, `L`) and, for Scheduler, `at(2026-12-01T09:00:00)`. Cron and at() are read in the
 * given IANA time zone (UTC by default).
 */

export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

const UNIT_MS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  readonly any: boolean;
  readonly values: ReadonlySet<number>;
  /** `L`: the last day of the month (day-of-month) or, with a value, the last such weekday. */
  readonly last: boolean;
}

function parseField(text: string, min: number, max: number, names: readonly string[] = [], nameOffset = 0): Field {
  if (text === '*' || text === '?') return { any: true, values: new Set(), last: false };
  if (text === 'L') return { any: false, values: new Set(), last: true };
  const values = new Set<number>();
  let last = false;
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const number = named >= 0 ? named + nameOffset : Number(token);
    if (!Number.isInteger(number) || number < min || number > max) throw new ScheduleExpressionError(`cron value ${token} is outside ${min}-${max}`);
    return number;
  };
  for (const part of text.split(',')) {
    if (/[W#]/.test(part)) throw new ScheduleExpressionError(`cron ${part}: W and # are not supported by the local cloud`);
    if (/^\d+L$/.test(part)) {
      values.add(value(part.slice(0, -1)));
      last = true;
      continue;
    }
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(`cron step ${stepText} must be a whole number of at least 1`);
    const [from, to] =
      range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(value) : [value(range), stepText === undefined ? value(range) : max];
    for (let n = from ?? min; n <= (to ?? max); n += step) values.add(n);
  }
  return { any: false, values, last };
}

interface Cron {
  readonly minutes: Field;
  readonly hours: Field;
  readonly dayOfMonth: Field;
  readonly month: Field;
  readonly dayOfWeek: Field;
  readonly year: Field;
}

function parseCron(body: string): Cron {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError(`cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [minutes = '', hours = '', dom = '', month = '', dow = '', year = ''] = fields;
  if (dom !== '?' && dow !== '?') throw new ScheduleExpressionError('cron: one of day-of-month and day-of-week must be ?');
  return {
    minutes: parseField(minutes, 0, 59),
    hours: parseField(hours, 0, 23),
    dayOfMonth: parseField(dom, 1, 31),
    month: parseField(month, 1, 12, MONTHS, 1),
    dayOfWeek: parseField(dow, 1, 7, DAYS, 1),
    year: parseField(year, 1970, 2199),
  };
}

/** Wall-clock parts of an instant in a time zone. */
/** A formatter per time zone, made once: making one costs far more than formatting with it. */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

function partsIn(time: number, timeZone: string) {
  const format = formatIn(timeZone);
  const parts = Object.fromEntries(format.formatToParts(new Date(time)).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: DAYS.indexOf(String(parts.weekday).toUpperCase().slice(0, 3)) + 1,
  };
}

const matches = (field: Field, value: number): boolean => field.any || field.values.has(value);

function dayMatches(cron: Cron, year: number, month: number, day: number, weekday: number): boolean {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const domOk = cron.dayOfMonth.last && cron.dayOfMonth.values.size === 0 ? day === daysInMonth : matches(cron.dayOfMonth, day);
  const dowOk = cron.dayOfWeek.last ? cron.dayOfWeek.values.has(weekday) && day + 7 > daysInMonth : matches(cron.dayOfWeek, weekday);
  return domOk && dowOk && matches(cron.month, month) && matches(cron.year, year);
}

/** The first minute after `after` that the cron expression names. */
function nextCron(cron: Cron, after: number, timeZone: string): number | undefined {
  // Walk minute by minute within matching days; skip whole non-matching days. Bounded to 5 years.
  let time = Math.floor(after / 60_000) * 60_000 + 60_000;
  const limit = after + 5 * 366 * 86_400_000;
  while (time < limit) {
    const parts = partsIn(time, timeZone);
    if (!dayMatches(cron, parts.year, parts.month, parts.day, parts.weekday)) {
      time += ((23 - parts.hour) * 60 + (60 - parts.minute)) * 60_000;
      continue;
    }
    if (!matches(cron.hours, parts.hour)) {
      time += (60 - parts.minute) * 60_000;
      continue;
    }
    if (matches(cron.minutes, parts.minute)) return time;
    time += 60_000;
  }
  return undefined;
}

/** The instant a wall-clock time in a time zone names. */
function zonedTime(text: string, timeZone: string): number {
  const naive = Date.parse(`${text}Z`);
  if (Number.isNaN(naive)) throw new ScheduleExpressionError(`at(${text}) is not a date-time like 2026-12-01T09:00:00`);
  const offset = (time: number) => {
    const parts = partsIn(time, timeZone);
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - Math.floor(time / 60_000) * 60_000;
  };
  return naive - offset(naive - offset(naive));
}

export interface Schedule {
  /** The next firing strictly after `after`, or undefined when the schedule is over. */
  next(after: number): number | undefined;
}

/**
 * @param start - when the schedule was created: rate() schedules fire every period from then
 */
export function parseSchedule(expression: string, start: number, timeZone = 'UTC'): Schedule {
  const rate = /^rate\((\d+)\s+(minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (rate) {
    const amount = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (amount < 1) throw new ScheduleExpressionError('rate value must be at least 1');
    if ((amount === 1) !== !unit.endsWith('s'))
      throw new ScheduleExpressionError(`rate(${amount} ${unit}): use ${amount === 1 ? 'the singular' : 'the plural'} unit`);
    const period = amount * (UNIT_MS[unit] ?? 60_000);
    return { next: (after) => start + (Math.floor((after - start) / period) + 1) * period };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron) {
    const parsed = parseCron(cron[1] ?? '');
    return { next: (after) => nextCron(parsed, after, timeZone) };
  }
  const at = /^at\((.+)\)$/.exec(expression.trim());
  if (at) {
    const time = zonedTime(at[1] ?? '', timeZone);
    return { next: (after) => (after < time ? time : undefined) };
  }
  throw new ScheduleExpressionError(`not a schedule expression: ${expression} (use rate(…), cron(…) or at(…))`);
}
