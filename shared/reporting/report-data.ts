/**
 * The figures `lifecycle report` collects, before any arithmetic: one fact per customer, journey,
 * support request and survey answer. The collector fills this in; `buildReport` turns it into a
 * `Report`, and the renderers never see anything else.
 */
import type { JourneyStats } from '#shared/journeys/metrics.ts';
import type { Stage } from '#shared/stages/stages.ts';

export interface ReportData {
  /** When the figures were collected (ISO 8601); days in the current stage are counted up to it. */
  readonly generatedAt: string;
  /** Where the figures come from, for the header: "local cloud at http://127.0.0.1:4566", "stack Lifecycle-prod". */
  readonly source: string;
  /** One entry per customer (merged-away provisional profiles left out). */
  readonly customers: readonly CustomerFacts[];
  /** One entry per profile, known or anonymous (merged-away profiles left out: their events moved on). */
  readonly profiles: readonly ProfileActivity[];
  /** One entry per email in the message log: sent, deferred, skipped (and why), or being sent. */
  readonly messages: readonly MessageFacts[];
  /** One entry per journey and version, as the journey metrics item reads. */
  readonly journeys: readonly JourneyStats[];
  /** One entry per support request. */
  readonly support: readonly SupportRequestFacts[];
  /** One entry per survey answer. */
  readonly surveys: readonly SurveyFacts[];
}

export interface CustomerFacts {
  /** The stage the customer is in now. */
  readonly stage: Stage;
  /**
   * Every stage the customer has ever been in, `support` included, in any order. The current stage
   * counts as reached even when it is missing here.
   */
  readonly stagesReached: readonly Stage[];
  /**
   * Total days spent in each stage so far, over every visit; the current stage is counted up to
   * `generatedAt`. A stage never entered is absent.
   */
  readonly daysInStage: Readonly<Partial<Record<Stage, number>>>;
  /** The channel of the customer's first touch ("email", "search", …), when known. */
  readonly channel?: string;
}

export interface ProfileActivity {
  /** False for an anonymous visitor who never left an email address. */
  readonly identified: boolean;
  /** Events business systems sent that are on the profile's timeline (the system's own left out). */
  readonly businessEvents: number;
  /** Timeline entries that moved the profile's stage. */
  readonly stageChanges: number;
}

export interface MessageFacts {
  readonly status: 'deferred' | 'sending' | 'sent' | 'skipped';
  /** Why a skipped email was not sent: no-consent, capped, too-old, … */
  readonly reason?: string;
}

/** `auto-answered`: the automatic reply settled it; `escalated`: handed to the help desk (open until the help desk resolves it). */
export type SupportOutcome = 'auto-answered' | 'escalated';

export interface SupportRequestFacts {
  /** When the customer asked (ISO 8601). */
  readonly requestedAt: string;
  /** Where the customer asked: "email", "chat", "phone", … */
  readonly channel: string;
  readonly outcome: SupportOutcome;
  /** Seconds to the first answer: the automatic reply, or the help desk's resolution. Absent while unanswered. */
  readonly firstAnswerSeconds?: number;
}

export type SurveyKind = 'nps' | 'csat';

export interface SurveyFacts {
  /** `nps`: "how likely are you to recommend us", 0–10; `csat`: "how satisfied are you", 1–5. */
  readonly kind: SurveyKind;
  /** The answer, on the kind's scale. */
  readonly score: number;
  /** When the customer answered (ISO 8601). */
  readonly at: string;
  /** The customer's stage when they answered. */
  readonly stage: Stage;
  /** The channel the survey was answered through, when known. */
  readonly channel?: string;
}
