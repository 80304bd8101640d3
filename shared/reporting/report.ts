/**
 * The report `buildReport` makes from collected figures, ready to print or draw: counts, rates and
 * percentiles, with `null` wherever there is nothing to compute from (never NaN). Rates and shares
 * are fractions in [0, 1]; durations are seconds; days are days.
 */
import type { ProgressionStage, Stage } from '#shared/stages/stages.ts';

export interface Report {
  readonly generatedAt: string;
  readonly source: string;
  /** Customers: profiles with an email address or a customer id, merged-away profiles left out. */
  readonly customers: number;
  /** Anonymous visitors: profiles that never became customers (no email address yet). */
  readonly anonymousVisitors: number;
  /** Events business systems sent, as recorded on timelines, and the stage changes they made. */
  readonly events: { readonly recorded: number; readonly stageChanges: number };
  /** Every email the system decided about (journeys and stage notices alike), by outcome. */
  readonly emails: EmailOutcomes;
  readonly funnel: Funnel;
  /** Median days spent in each stage: the progression in order, then support. */
  readonly daysInStage: readonly StageDays[];
  readonly journeys: JourneySummary;
  readonly support: SupportSummary;
  readonly satisfaction: SatisfactionSummary;
}

export interface EmailOutcomes {
  readonly sent: number;
  /** Waiting for the recipient's quiet hours to end. */
  readonly deferred: number;
  /** Claimed and not yet confirmed by SES. */
  readonly sending: number;
  /** Not sent, by reason: no-consent, unsubscribed, capped, too-old, … */
  readonly skipped: Readonly<Record<string, number>>;
  readonly skippedTotal: number;
}

export interface Funnel {
  /** discover, research, buy, use, retain, in that order. */
  readonly stages: readonly FunnelStage[];
  /** Support sits outside the progression, so it is counted apart. */
  readonly support: StageCount;
}

export interface StageCount {
  /** Customers in the stage now. */
  readonly now: number;
  /** Customers who have ever been in the stage. */
  readonly reached: number;
}

export interface FunnelStage extends StageCount {
  readonly stage: ProgressionStage;
  /**
   * reached(stage) / reached(previous stage); null for the first stage and when nobody reached the
   * previous one. Above 1 when customers skipped the previous stage (a first event that is a purchase).
   */
  readonly conversion: number | null;
}

export interface StageDays {
  readonly stage: Stage;
  /** Customers who have spent time in the stage. */
  readonly customers: number;
  readonly medianDays: number | null;
}

export interface JourneySummary {
  /** One per journey and version, in the order collected. */
  readonly results: readonly JourneyResult[];
  /** Everything summed over every journey. */
  readonly totals: {
    readonly entered: number;
    readonly converted: number;
    readonly conversionRate: number | null;
    readonly emails: EmailCounts;
  };
}

export interface JourneyResult {
  readonly journey: string;
  readonly version: number;
  readonly entered: number;
  /** Runs still under way. */
  readonly active: number;
  readonly converted: number;
  /** converted / entered. */
  readonly conversionRate: number | null;
  /** Runs that got the journey's messages; null for a journey without a holdout step. */
  readonly treatment: GroupResult | null;
  /** Runs held out of the messages, to measure against; null for a journey without a holdout step. */
  readonly holdout: GroupResult | null;
  /** (treatment rate − holdout rate) / holdout rate; null without a holdout conversion or a holdout step. */
  readonly lift: number | null;
  /** Summed over the journey's steps. */
  readonly emails: EmailCounts;
}

export interface GroupResult {
  readonly entered: number;
  readonly converted: number;
  readonly rate: number | null;
}

export interface EmailCounts {
  readonly sent: number;
  readonly delivered: number;
  readonly opened: number;
  readonly clicked: number;
  /** opened / sent. */
  readonly openRate: number | null;
  /** clicked / sent. */
  readonly clickRate: number | null;
}

export interface SupportSummary {
  /** Every request: auto-answered + escalated + too old. */
  readonly requests: number;
  readonly autoAnswered: number;
  /** Handed to the help desk, answered or still open. */
  readonly escalated: number;
  /** Escalated and not answered yet. */
  readonly open: number;
  /** auto-answered / (auto-answered + escalated). */
  readonly automationRate: number | null;
  readonly firstAnswer: {
    /** Every answered request, whatever its outcome. */
    readonly all: AnswerTimes;
    readonly automatic: AnswerTimes;
    readonly escalated: AnswerTimes;
  };
  /** By the channel the customer asked through, most requests first. */
  readonly byChannel: readonly SupportChannel[];
}

export interface AnswerTimes {
  /** Requests with a first answer. */
  readonly answered: number;
  /** Seconds. */
  readonly p50: number | null;
  /** Seconds. */
  readonly p90: number | null;
}

export interface SupportChannel {
  readonly channel: string;
  readonly requests: number;
  readonly automationRate: number | null;
  /** Median seconds to the first answer. */
  readonly p50: number | null;
}

export interface SatisfactionSummary {
  readonly overall: Satisfaction;
  /** One row per ISO week (UTC) from the first answer's week to the last's, weeks without answers included. */
  readonly byWeek: readonly WeekSatisfaction[];
  /** Stages with at least one answer, in stage order. */
  readonly byStage: readonly (Satisfaction & { readonly stage: Stage })[];
  /** Channels with at least one answer, most answers first; null: no channel recorded. */
  readonly byChannel: readonly (Satisfaction & { readonly channel: string | null })[];
}

export interface WeekSatisfaction extends Satisfaction {
  /** ISO week: "2025-W03". */
  readonly week: string;
  /** The week's Monday: "2025-01-13". */
  readonly weekStart: string;
}

export interface Satisfaction {
  readonly csat: CsatFigures;
  readonly nps: NpsFigures;
}

export interface CsatFigures {
  readonly responses: number;
  /** Mean score, 1–5. */
  readonly average: number | null;
  /** Share of scores 4 or 5. */
  readonly satisfiedShare: number | null;
}

export interface NpsFigures {
  readonly responses: number;
  /** Scores 9–10. */
  readonly promoters: number;
  /** Scores 7–8. */
  readonly passives: number;
  /** Scores 0–6. */
  readonly detractors: number;
  /** % promoters − % detractors, from −100 to 100. */
  readonly score: number | null;
}
