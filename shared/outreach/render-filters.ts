/**
 * The custom Liquid filters of the email templates: `money` and `date`. Both format for the
 * locale and time zone of the render (the `locale` and `timezone` variables the renderer puts in
 * every scope), so templates never pass them by hand.
 */
import type { Context, Liquid } from 'liquidjs';

/**
 * A filter got input it cannot format. Its message is safe for logs: it says what was expected,
 * never what was given (the value may be personal data).
 */
export class FilterInputError extends Error {
  override readonly name = 'FilterInputError';
}

const CURRENCY_CODE = /^[A-Z]{3}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// A date-time must carry its offset: without one, the server's own time zone would decide the day.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** `{{ 179 | money: "EUR" }}` → "€179.00" (en), "179,00 €" (fr-FR). */
export function formatMoney(amount: unknown, currency: unknown, locale: string): string {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) throw new FilterInputError('money: expects a number');
  if (typeof currency !== 'string' || !CURRENCY_CODE.test(currency)) {
    throw new FilterInputError('money: expects an ISO 4217 currency code such as EUR as its argument');
  }
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}

export type DateStyle = 'date' | 'datetime';

export interface DateFormat {
  readonly locale: string;
  readonly timeZone: string;
  /** `date` shows the day only; `datetime` (the default) adds the time when the value has one. */
  readonly style?: DateStyle;
}

// Korean afternoon times come out as "PM 11:00" (Latin letters) from some ICU versions and as
// "오후 11:00" from others; a 24-hour clock reads naturally in Korean correspondence and does not
// depend on the runtime's ICU data.
const HOUR_CYCLES: Readonly<Record<string, 'h23'>> = { ko: 'h23' };

/**
 * Formats an ISO 8601 date ("2026-11-29") or date-time with offset ("2026-11-22T14:00:00Z").
 * A date is a calendar day and is shown as that day everywhere; a date-time is shown in the
 * customer's time zone, with the zone's name so the time is unambiguous.
 */
export function formatDate(value: unknown, format: DateFormat): string {
  if (typeof value === 'string' && ISO_DATE.test(value)) return formatCalendarDay(value, format.locale);
  const instant = toInstant(value);
  if (format.style === 'date') return new Intl.DateTimeFormat(format.locale, { dateStyle: 'full', timeZone: format.timeZone }).format(instant);
  const hourCycle = HOUR_CYCLES[new Intl.Locale(format.locale).language];
  return new Intl.DateTimeFormat(format.locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: format.timeZone,
    ...(hourCycle && { hourCycle }),
  }).format(instant);
}

function formatCalendarDay(value: string, locale: string): string {
  const day = new Date(`${value}T00:00:00Z`);
  // Date rolls 2026-02-30 over to March 2; a round trip catches days that do not exist.
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw new FilterInputError('date: expects an existing calendar date');
  }
  // Formatted in UTC, the zone it was parsed in, so no time zone can move it to another day.
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(day);
}

function toInstant(value: unknown): Date {
  const instant = value instanceof Date ? value : typeof value === 'string' && ISO_DATE_TIME.test(value) ? new Date(value) : undefined;
  if (instant === undefined || Number.isNaN(instant.getTime())) {
    throw new FilterInputError('date: expects an ISO 8601 date or a date-time with a time zone');
  }
  return instant;
}

function toDateStyle(style: unknown): DateStyle | undefined {
  if (style === undefined || style === 'date' || style === 'datetime') return style;
  throw new FilterInputError('date: the style argument must be "date" or "datetime"');
}

/** The render's `locale` and `timezone`, which the renderer always sets. */
function renderSettings(context: Context): { locale: string; timeZone: string } {
  const locale = context.getSync(['locale']);
  const timeZone = context.getSync(['timezone']);
  if (typeof locale !== 'string' || typeof timeZone !== 'string') {
    throw new FilterInputError('the render scope lacks the locale or timezone variable');
  }
  return { locale, timeZone };
}

/** Registers `money` and `date` (replacing Liquid's strftime-based `date`) on an engine. */
export function registerFilters(engine: Liquid): void {
  engine.registerFilter('money', function (this: { context: Context }, amount: unknown, currency: unknown) {
    return formatMoney(amount, currency, renderSettings(this.context).locale);
  });
  engine.registerFilter('date', function (this: { context: Context }, value: unknown, style: unknown) {
    return formatDate(value, { ...renderSettings(this.context), style: toDateStyle(style) });
  });
}
