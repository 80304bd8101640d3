/**
 * Figures by lifecycle stage: the funnel (who is in each stage now, who ever reached it, and how
 * many of those who reached one stage reached the next) and the median days spent in each stage.
 */
import { PROGRESSION, type Stage } from '#shared/stages/stages.ts';
import type { CustomerFacts } from './report-data.ts';
import type { Funnel, FunnelStage, StageCount, StageDays } from './report.ts';
import { median, ratio } from './statistics.ts';

/** Stages in report order: the progression, then support. */
export const REPORT_STAGES: readonly Stage[] = [...PROGRESSION, 'support'];

export function funnelOf(customers: readonly CustomerFacts[]): Funnel {
  const count = (stage: Stage): StageCount => ({
    now: customers.filter((customer) => customer.stage === stage).length,
    reached: customers.filter((customer) => customer.stage === stage || customer.stagesReached.includes(stage)).length,
  });
  const stages: FunnelStage[] = [];
  for (const stage of PROGRESSION) {
    const previous = stages.at(-1);
    const counts = count(stage);
    stages.push({ stage, ...counts, conversion: previous ? ratio(counts.reached, previous.reached) : null });
  }
  return { stages, support: count('support') };
}

export function daysInStageOf(customers: readonly CustomerFacts[]): StageDays[] {
  return REPORT_STAGES.map((stage) => {
    const days = customers.flatMap((customer) => {
      const value = customer.daysInStage[stage];
      return value !== undefined && Number.isFinite(value) ? [value] : [];
    });
    return { stage, customers: days.length, medianDays: median(days) };
  });
}
