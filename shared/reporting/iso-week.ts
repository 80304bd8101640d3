/**
 * ISO 8601 weeks, in UTC: weeks start on Monday, and week 1 is the week with the year's first
 * Thursday, so the first days of January may belong to the previous year's last week.
 */

const DAY_MS = 86_400_000;

export interface IsoWeek {
  /** "2025-W03". */
  readonly week: string;
  /** The Monday the week starts on: "2025-01-13". */
  readonly weekStart: string;
}

/** The ISO week of an instant, or undefined when the text is not a date. */
export function isoWeekOf(at: string): IsoWeek | undefined {
  const time = Date.parse(at);
  if (Number.isNaN(time)) return undefined;
  const day = Math.floor(time / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return weekStarting(day - weekday * DAY_MS);
}

/** The weeks from `first` to `last` inclusive, one after another. */
export function weeksBetween(first: IsoWeek, last: IsoWeek): IsoWeek[] {
  const weeks: IsoWeek[] = [];
  const end = Date.parse(last.weekStart);
  for (let monday = Date.parse(first.weekStart); monday <= end; monday += 7 * DAY_MS) weeks.push(weekStarting(monday));
  return weeks;
}

function weekStarting(monday: number): IsoWeek {
  // The week belongs to the year its Thursday falls in, and is numbered from that year's first Thursday.
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  const number = Math.floor(dayOfYear / 7) + 1;
  return { week: `${year}-W${String(number).padStart(2, '0')}`, weekStart: new Date(monday).toISOString().slice(0, 10) };
}
