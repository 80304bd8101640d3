import { describe, expect, it } from 'vitest';
import { isoWeekOf, weeksBetween } from '#shared/reporting/iso-week.ts';
import { liftInterval, mean, median, percentile, ratio } from '#shared/reporting/statistics.ts';

describe('statistics', () => {
  it('gives null rather than NaN for nothing', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
    expect(percentile([], 0.9)).toBeNull();
  });

  it('takes medians of odd and even counts, in any order', () => {
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5); // 1 (5) 9
    expect(median([4, 1, 3, 2])).toBe(2.5); // 1 2 | 3 4 → (2 + 3) / 2
  });

  it('interpolates percentiles between the closest ranks', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 1)).toBe(100);
    // p90 at rank 0.9 × 9 = 8.1 → 90 + 0.1 × (100 − 90) = 91
    expect(percentile(values, 0.9)).toBeCloseTo(91);
    // p50 at rank 4.5 → (50 + 60) / 2 = 55
    expect(percentile(values, 0.5)).toBe(55);
  });
});

describe('ISO weeks', () => {
  it("numbers weeks from the week with the year's first Thursday", () => {
    expect(isoWeekOf('2025-01-06T00:00:00Z')).toEqual({ week: '2025-W02', weekStart: '2025-01-06' });
    // Monday 30 December 2024 starts week 1 of 2025, whose Thursday is 2 January.
    expect(isoWeekOf('2024-12-31T12:00:00Z')).toEqual({ week: '2025-W01', weekStart: '2024-12-30' });
    // Friday 1 January 2021 is still in 2020's last week, the 53rd.
    expect(isoWeekOf('2021-01-01T00:00:00Z')?.week).toBe('2020-W53');
    expect(isoWeekOf('2026-01-01T00:00:00Z')?.week).toBe('2026-W01');
    // Sunday ends the week.
    expect(isoWeekOf('2025-01-12T23:59:59Z')?.week).toBe('2025-W02');
    expect(isoWeekOf('not a date')).toBeUndefined();
  });

  it("lists the weeks between two, across a year's end", () => {
    const first = isoWeekOf('2020-12-21T00:00:00Z');
    const last = isoWeekOf('2021-01-11T00:00:00Z');
    if (!first || !last) throw new Error('not dates');
    expect(weeksBetween(first, last).map((week) => week.week)).toEqual(['2020-W52', '2020-W53', '2021-W01', '2021-W02']);
  });
});

describe('liftInterval', () => {
  it('brackets the lift with the 95% interval of the log rate ratio', () => {
    // Treatment 10% (90 of 900), holdout 5% (5 of 100): lift 100%; worked by hand from
    // ln(2) ± 1.96 · √(1/90 − 1/900 + 1/5 − 1/100) = 0.6931 ± 0.8765.
    const interval = liftInterval({ entered: 900, converted: 90 }, { entered: 100, converted: 5 });

    expect(interval?.low).toBeCloseTo(Math.exp(0.6931 - 0.8765) - 1, 3);
    expect(interval?.high).toBeCloseTo(Math.exp(0.6931 + 0.8765) - 1, 3);
  });

  it('has no interval while either group has no conversion', () => {
    expect(liftInterval({ entered: 50, converted: 4 }, { entered: 10, converted: 0 })).toBeNull();
    expect(liftInterval({ entered: 50, converted: 0 }, { entered: 10, converted: 2 })).toBeNull();
  });
});
