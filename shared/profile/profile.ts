/**
 * The customer profile: one per customer, the single source of truth the stage workflows, journeys
 * and the sender read. Kept small on purpose: a profile under 1 KB costs one write unit per
 * update, which is what keeps recording an event at two write units (profile + timeline item).
 */
import type { Topic } from '../events/fields.ts';
import type { ProgressionStage, Stage } from '../stages/stages.ts';
import type { Attribution } from './attribution.ts';
import { isProvisionalId } from './identity.ts';
import type { InterestFacts } from './interest-and-usage.ts';
import type { OrderHistory } from './order-history.ts';
import type { Subscription, Surveys } from './voice.ts';

export type AttributeValue = string | number | boolean | null;

/** A yes/no with the time of the event that said so; the later statement wins. */
export interface Statement {
  readonly subscribed: boolean;
  readonly at: string;
}

export interface EmailConsent {
  /** The customer's answer for email as a whole; absent until they gave one. */
  readonly all?: Statement;
  readonly topics: Partial<Record<Topic, Statement>>;
}

export interface Counters {
  readonly events: number;
  readonly orders: number;
  readonly supportRequests: number;
}

export interface Profile extends InterestFacts {
  readonly customerId: string;
  /** Incremented by every write; writes are conditional on it (optimistic concurrency). */
  readonly version: number;
  /** False for a provisional profile known only by an anonymous id or an email. */
  readonly identified: boolean;
  readonly anonymousIds: readonly string[];
  readonly email?: string;
  readonly name?: string;
  readonly locale?: string;
  readonly timezone?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly stage: Stage;
  /** When the customer entered the current stage. */
  readonly stageSince: string;
  /** While in support: the stage to return to. */
  readonly returnStage?: ProgressionStage;
  /** The latest stage change and the mark of the event that caused it, to re-announce it on a retry. */
  readonly lastStageChange?: { readonly from?: Stage; readonly reason: string; readonly by: string };
  readonly firstSeenAt: string;
  /** The latest `occurredAt` of any business event. */
  readonly lastActivityAt: string;
  readonly counters: Counters;
  /** Revenue by ISO 4217 currency. */
  readonly revenue: Readonly<Record<string, number>>;
  readonly scores: Readonly<Record<string, number>>;
  readonly consent: { readonly email: EmailConsent };
  /** When the latest consent-status notice went out (every two years from consent: consent-notice-due.ts). */
  readonly consentNoticeAt?: string;
  readonly support: { readonly open: readonly string[]; readonly resolved: readonly string[] };
  /** Where the customer first met the brand, and what brought them last (discover). */
  readonly attribution?: Attribution;
  /** When they ordered, what they bought (buy). */
  readonly orderHistory?: OrderHistory;
  /** The latest NPS and CSAT answers (retain); mirrored in `scores.nps` and `scores.csat`. */
  readonly surveys?: Surveys;
  readonly subscription?: Subscription;
  /**
   * When each overwritable field (email, name, locale, timezone, attr.<name>) was last set, by the
   * event's `occurredAt`, so that a late event never overwrites newer data.
   */
  readonly fieldsAt: Readonly<Record<string, string>>;
  /** Marks of the latest events applied (see `eventMark`): the dedupe check that survives a crash. */
  readonly recentEvents: readonly string[];
  /** Set when this provisional profile was merged into a known customer. */
  readonly mergedInto?: string;
  /**
   * Set on the tombstone an erasure leaves in place of the profile (every personal field gone):
   * events that occurred before it are refused, so a replay never brings the person back.
   */
  readonly erasure?: Erasure;
  readonly mergedFrom: readonly string[];
  readonly updatedAt: string;
}

/** What a tombstone keeps: when, which request, and the hashes of the addresses that stay suppressed. */
export interface Erasure {
  readonly at: string;
  readonly requestId: string;
  readonly addressHashes: readonly string[];
}

/**
 * Whether the customer was erased after an event that occurred at `occurredAt`: such an event is
 * a replay or a late redrive, and nothing may act on it.
 */
export function erasedAfter(profile: Pick<Profile, 'erasure'> | undefined, occurredAt: string): boolean {
  return profile?.erasure !== undefined && Date.parse(occurredAt) <= Date.parse(profile.erasure.at);
}

/** Bounds that keep the profile item small. */
export const LIMITS = {
  recentEvents: 8,
  anonymousIds: 10,
  resolvedSupportRequests: 10,
  attributes: 50,
  mergedFrom: 20,
} as const;

export function newProfile(customerId: string, at: string): Profile {
  return {
    customerId,
    version: 0,
    identified: !isProvisionalId(customerId),
    anonymousIds: [],
    attributes: {},
    stage: 'discover',
    stageSince: at,
    firstSeenAt: at,
    lastActivityAt: at,
    counters: { events: 0, orders: 0, supportRequests: 0 },
    revenue: {},
    scores: {},
    consent: { email: { topics: {} } },
    support: { open: [], resolved: [] },
    fieldsAt: {},
    recentEvents: [],
    mergedFrom: [],
    updatedAt: at,
  };
}

/** Appends to a bounded list, dropping the oldest entries and duplicates. */
export function appendBounded<T>(list: readonly T[], item: T, limit: number): T[] {
  return [...list.filter((existing) => existing !== item), item].slice(-limit);
}

export const laterOf = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);
export const earlierOf = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);

/** True when a value stamped `at` may replace one stamped `current` (absent: never set). */
export const isNewer = (at: string, current: string | undefined): boolean => current === undefined || Date.parse(at) >= Date.parse(current);
