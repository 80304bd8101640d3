/**
 * Journey cost under the two designs this project has run, each measured by this bench on the
 * standard workload: the engine deployed now (participants wait in EventBridge Scheduler one-time
 * schedules, their progress on an item; measured in the run at hand), and the design before it —
 * a Standard state machine per journey, waiting in Wait states and in slices for events — as the
 * bench measured it on 2026-11-22 (bench/results/latest.json of that day, in the git history;
 * its logs and traces were not priced then, so it is the lower bound of what that design cost).
 */

export interface JourneyCounts {
  readonly entries: number;
  readonly customers: number;
  readonly months: number;
}

export interface DesignCost {
  readonly design: string;
  readonly measured: string;
  readonly perEntryUsd: number;
  readonly perCustomerMonthUsd: number;
}

/** The Standard state machine design, as measured on 2026-11-22: $0.000305 an entry, 1,254 entries of 300 customers in 30 days. */
export const STANDARD_DESIGN = {
  design: 'a Standard state machine per journey, waiting in Wait states and in slices for events',
  measured: '2026-11-22, before the engine',
  perEntryUsd: 0.00030547495038856583,
  perCustomerMonthUsd: (0.00030547495038856583 * 1254) / 300,
} as const satisfies DesignCost;

export function compareDesigns(journeysUsd: number, counts: JourneyCounts): DesignCost[] {
  return [
    {
      design: 'the engine: one-time schedules, progress on an item, a function call per wake-up',
      measured: 'this run',
      perEntryUsd: counts.entries === 0 ? 0 : journeysUsd / counts.entries,
      perCustomerMonthUsd: journeysUsd / counts.customers / counts.months,
    },
    STANDARD_DESIGN,
  ];
}
