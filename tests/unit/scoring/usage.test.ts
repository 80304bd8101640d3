import { describe, expect, it } from 'vitest';
import { pack } from '#shared/profile/packing.ts';
import { isDeclining, milestonesReached, recordUsage, rollingUsage, type UsageDays } from '#shared/scoring/usage.ts';

const DAY = 86_400_000;
const NOW = '2026-11-22T08:00:00.000Z';

describe('recording usage', () => {
  it('adds quantities by UTC day, 1 when the event names none', () => {
    let usage: UsageDays = {};
    usage = recordUsage(usage, '2026-11-22T10:00:00Z', 1.5);
    usage = recordUsage(usage, '2026-11-22T23:00:00Z', 2.25);
    usage = recordUsage(usage, '2026-11-21T09:00:00Z');
    // 1.5 + 2.25 = 3.75 on the 22nd; 1 on the 21st
    expect(usage).toEqual({ '2026-11-21': 1, '2026-11-22': 3.75 });
  });

  it('puts a late event on its own day, by UTC', () => {
    let usage = recordUsage({}, '2026-11-22T10:00:00Z', 3);
    usage = recordUsage(usage, '2026-11-21T01:00:00+09:00', 2); // 2026-11-20T16:00Z
    expect(usage).toEqual({ '2026-11-20': 2, '2026-11-22': 3 });
  });

  it('ignores quantities that are not positive', () => {
    const usage: UsageDays = { '2026-11-22': 1 };
    expect(recordUsage(usage, NOW, 0)).toBe(usage);
    expect(recordUsage(usage, NOW, -2)).toBe(usage);
  });

  it('keeps the 60 days ending on the latest day', () => {
    // latest day 2026-11-22; 59 days before is 2026-09-24 (kept), 60 days before is 2026-09-23 (dropped)
    const usage = recordUsage({ '2026-09-23': 1, '2026-09-24': 1 }, '2026-11-22T00:00:00Z', 1);
    expect(usage).toEqual({ '2026-09-24': 1, '2026-11-22': 1 });
    // a late event 60 days before the latest day is dropped as it arrives
    expect(recordUsage(usage, '2026-09-23T12:00:00Z', 5)).toEqual(usage);
    // one 59 days before is kept
    expect(recordUsage(usage, '2026-09-24T12:00:00Z', 5)).toEqual({ '2026-09-24': 6, '2026-11-22': 1 });
  });

  it('holds at most 60 days, and stays small', () => {
    let usage: UsageDays = {};
    for (let day = 0; day < 70; day += 1) usage = recordUsage(usage, Date.parse('2026-09-01T12:00:00Z') + day * DAY, 1234.56);
    expect(Object.keys(usage)).toHaveLength(60);
    // days 10 … 69 after 2026-09-01: 2026-09-11 … 2026-11-09
    expect(Object.keys(usage)[0]).toBe('2026-09-11');
    expect(Object.keys(usage).at(-1)).toBe('2026-11-09');
    expect(pack(usage).length).toBeLessThan(300);
  });
});

describe('rolling usage', () => {
  const usage: UsageDays = {
    '2026-10-23': 16, // 30 days before today: outside both windows
    '2026-10-24': 8, // 29 days before: the first day of the 30-day window
    '2026-11-15': 4, // 7 days before: outside the 7-day window
    '2026-11-16': 2, // 6 days before: the first day of the 7-day window
    '2026-11-22': 1, // today
    '2026-11-23': 32, // after today: not counted
  };

  it('sums the last 7 and 30 days, today included', () => {
    // 2 + 1 = 3
    expect(rollingUsage(usage, NOW, 7)).toBe(3);
    // 8 + 4 + 2 + 1 = 15
    expect(rollingUsage(usage, NOW, 30)).toBe(15);
  });
});

describe('declining usage', () => {
  // today 2026-11-22: the last 30 days are 2026-10-24 … 2026-11-22, the 30 before 2026-09-24 … 2026-10-23
  it('is declining under half of the 30 days before', () => {
    // 4 < 10 / 2 = 5
    expect(isDeclining({ '2026-09-24': 6, '2026-10-23': 4, '2026-11-01': 4 }, NOW)).toBe(true);
    // 5 is not under 5
    expect(isDeclining({ '2026-09-24': 6, '2026-10-23': 4, '2026-11-01': 5 }, NOW)).toBe(false);
  });

  it('is not declining from a baseline of zero', () => {
    expect(isDeclining({}, NOW)).toBe(false);
    expect(isDeclining({ '2026-11-01': 3 }, NOW)).toBe(false);
    // 2026-09-23 is 60 days before today, outside the baseline: the baseline is 0
    expect(isDeclining({ '2026-09-23': 100 }, NOW)).toBe(false);
  });

  it('declines to nothing', () => {
    // 0 < 1 / 2
    expect(isDeclining({ '2026-10-01': 1 }, NOW)).toBe(true);
  });
});

describe('milestones', () => {
  it('are activated on a first activation', () => {
    expect(milestonesReached({ activations: 0, usage: {} })).toEqual([]);
    expect(milestonesReached({ activations: 1, usage: {} })).toEqual(['activated']);
  });

  it('are active on 3 different days', () => {
    expect(milestonesReached({ activations: 0, usage: { '2026-11-01': 1, '2026-11-05': 1 } })).toEqual([]);
    expect(milestonesReached({ activations: 0, usage: { '2026-11-01': 1, '2026-11-05': 1, '2026-11-20': 1 } })).toEqual(['active-3-days']);
  });

  it('are a power user at 20 units within 30 days', () => {
    // 2026-10-01 … 2026-10-30 is 30 days: 10 + 10 = 20
    expect(milestonesReached({ activations: 2, usage: { '2026-10-01': 10, '2026-10-30': 10 } })).toEqual(['activated', 'power-user']);
    // 2026-10-01 and 2026-10-31 are 31 days apart: at most 10 in any 30 days
    expect(milestonesReached({ activations: 2, usage: { '2026-10-01': 10, '2026-10-31': 10 } })).toEqual(['activated']);
    // 19.5 is under 20
    expect(milestonesReached({ activations: 0, usage: { '2026-11-01': 19.5 } })).toEqual([]);
  });
});
