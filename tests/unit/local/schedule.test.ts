import { describe, expect, it } from 'vitest';
import { parseSchedule } from '#local/eventbridge/schedule.ts';

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, after: string, timeZone?: string) => {
  const time = parseSchedule(expression, at('2026-11-01T00:00:00Z'), timeZone).next(at(after));
  return time === undefined ? undefined : new Date(time).toISOString();
};

describe('schedule expressions', () => {
  it('fires rate() schedules every period from when they were created', () => {
    expect(next('rate(5 minutes)', '2026-11-01T00:07:00Z')).toBe('2026-11-01T00:10:00.000Z');
    expect(next('rate(1 hour)', '2026-11-01T00:00:00Z')).toBe('2026-11-01T01:00:00.000Z');
    expect(next('rate(2 days)', '2026-11-02T12:00:00Z')).toBe('2026-11-03T00:00:00.000Z');
  });

  it('refuses a rate with the wrong number of its unit', () => {
    expect(() => parseSchedule('rate(1 minutes)', 0)).toThrow('use the singular unit');
    expect(() => parseSchedule('rate(5 minute)', 0)).toThrow('use the plural unit');
  });

  it.each([
    ['cron(0 8 * * ? *)', '2026-11-22T09:00:00Z', '2026-11-23T08:00:00.000Z'],
    ['cron(15 10 ? * MON-FRI *)', '2026-11-21T00:00:00Z', '2026-11-23T10:15:00.000Z'],
    ['cron(0/15 * * * ? *)', '2026-11-22T10:07:00Z', '2026-11-22T10:15:00.000Z'],
    ['cron(0 0 1 * ? *)', '2026-11-22T00:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['cron(0 12 L * ? *)', '2026-11-22T00:00:00Z', '2026-11-30T12:00:00.000Z'],
    ['cron(0 9 ? * 6L *)', '2026-11-01T00:00:00Z', '2026-11-27T09:00:00.000Z'],
    ['cron(30 6 1,15 JAN,JUL ? 2027)', '2026-11-22T00:00:00Z', '2027-01-01T06:30:00.000Z'],
  ])('%s after %s fires at %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it('reads cron in the schedule time zone', () => {
    // 09:00 in Seoul is 00:00 UTC.
    expect(next('cron(0 9 * * ? *)', '2026-11-22T01:00:00Z', 'Asia/Seoul')).toBe('2026-11-23T00:00:00.000Z');
  });

  it('fires at() once, in its time zone', () => {
    const schedule = parseSchedule('at(2026-12-01T09:00:00)', 0, 'Europe/Berlin');
    expect(new Date(schedule.next(at('2026-11-22T00:00:00Z')) ?? 0).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(schedule.next(at('2026-12-02T00:00:00Z'))).toBeUndefined();
  });

  it.each([
    ['cron(0 8 * * *)', 'cron needs 6 fields'],
    ['cron(0 8 * * MON *)', 'one of day-of-month and day-of-week must be ?'],
    ['cron(61 8 * * ? *)', 'cron value 61 is outside 0-59'],
    ['cron(0 8 ? * 2#1 *)', 'W and # are not supported'],
    ['every day', 'not a schedule expression'],
  ])('refuses %s', (expression, message) => {
    expect(() => parseSchedule(expression, 0)).toThrow(message);
  });
});
