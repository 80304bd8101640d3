import { describe, expect, it } from 'vitest';
import { churnRisk, isOverdue, usualOrderInterval } from '#shared/scoring/churn.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const day = (n: number, hours = 0) => new Date(T0 + n * DAY + hours * 3_600_000).toISOString();

describe('overdue', () => {
  const monthly = [day(0), day(30), day(60)];

  it('is late by more than twice the median interval', () => {
    // intervals 30, 30 → median 30 → overdue after 2 · 30 = 60 days since day 60
    expect(usualOrderInterval(monthly)).toBe(30);
    expect(isOverdue(monthly, day(120))).toBe(false); // exactly 60 days: not more than twice
    expect(isOverdue(monthly, day(121))).toBe(true);
  });

  it('takes the median, so one long gap does not stretch it', () => {
    // intervals 10, 10, 100 → median 10 (the mean would be 40) → overdue after 20 days since day 120
    const dates = [day(0), day(10), day(20), day(120)];
    expect(usualOrderInterval(dates)).toBe(10);
    expect(isOverdue(dates, day(141))).toBe(true);
  });

  it('averages the two middle intervals of an even number', () => {
    // intervals 10, 20 → median (10 + 20) / 2 = 15 → overdue after 30 days since day 30
    const dates = [day(30), day(0), day(10)];
    expect(usualOrderInterval(dates)).toBe(15);
    expect(isOverdue(dates, day(59))).toBe(false); // 29 days
    expect(isOverdue(dates, day(61))).toBe(true); // 31 days
  });

  it('treats orders on one UTC day as one purchase', () => {
    // day 0 at 10:00 and 13:00, then day 20: intervals [20], not [0, 20] with median 10 → overdue after 40 days
    const dates = [day(0), day(0, 3), day(20)];
    expect(usualOrderInterval(dates)).toBe(20);
    expect(isOverdue(dates, day(59))).toBe(false); // 39 days
    expect(isOverdue(dates, day(61))).toBe(true); // 41 days
    // two orders on the same day only: one purchase, no interval
    expect(isOverdue([day(0), day(0, 5)], day(500))).toBe(false);
  });

  it('is never reported for a single order or none', () => {
    expect(usualOrderInterval([day(0)])).toBeUndefined();
    expect(isOverdue([day(0)], day(1000))).toBe(false);
    expect(isOverdue([], day(1000))).toBe(false);
  });
});

describe('churn risk', () => {
  it('names every reason, in a fixed order', () => {
    // intervals 30 → 200 days since day 30 is more than 60
    expect(churnRisk({ orderDates: [day(0), day(30)], now: day(230), usageDeclining: true, cancelled: true })).toEqual({
      atRisk: true,
      reasons: ['overdue', 'declining-usage', 'cancelled'],
    });
  });

  it('is at risk for any one reason', () => {
    expect(churnRisk({ orderDates: [day(0)], now: day(1), usageDeclining: true, cancelled: false })).toEqual({ atRisk: true, reasons: ['declining-usage'] });
    expect(churnRisk({ orderDates: [], now: day(1), usageDeclining: false, cancelled: true })).toEqual({ atRisk: true, reasons: ['cancelled'] });
  });

  it('is not at risk without a reason', () => {
    // intervals 30 → 10 days since day 30 is on time
    expect(churnRisk({ orderDates: [day(0), day(30)], now: day(40), usageDeclining: false, cancelled: false })).toEqual({ atRisk: false, reasons: [] });
  });
});
