/**
 * How two runs of the same workload are compared: what of a profile must not depend on how (or
 * how often, or in which order) its events were delivered, and the emails each address got.
 * Differences come back as readable lines, so a failing test says which customer and what.
 */
import { DetailTypes, LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import type { Profile } from '#shared/profile/profile.ts';
import type { TimelineEntry } from '#shared/profile/timeline.ts';
import type { EndState, Received } from './end-state.ts';

/**
 * The part of a profile a delivery order must not change. Left out: versions, write times and
 * the event marks kept for dedupe; `lastActivityAt` and the decayed scores (compared apart, see
 * `compareProfiles` and `decayedScores`); `stageSince` and `lastStageChange` (see
 * `stageSinceInBounds`); the merged-from list (whether an anonymous visit got a provisional
 * profile first depends on whether it arrived before the sign-up). Two facts follow arrival
 * order, so they are compared loosely: the products viewed lately (as a set), and usage's
 * `declining` flag (left out: it is worked out as of the usage event applied last, and the
 * nightly scoring works it out afresh from the days of usage, which are compared).
 */
export function outcomeOf(profile: Profile): Record<string, unknown> {
  const sorted = (values: readonly string[] = []) => [...values].sort();
  return {
    stage: profile.stage,
    returnStage: profile.returnStage,
    identified: profile.identified,
    contact: { email: profile.email, name: profile.name, locale: profile.locale, timezone: profile.timezone },
    anonymousIds: sorted(profile.anonymousIds),
    firstSeenAt: profile.firstSeenAt,
    counters: profile.counters,
    revenue: profile.revenue,
    consent: profile.consent,
    attributes: profile.attributes,
    support: { open: sorted(profile.support.open), resolved: sorted(profile.support.resolved) },
    attribution: profile.attribution,
    orderHistory: profile.orderHistory,
    subscription: profile.subscription,
    surveys: profile.surveys,
    usage: profile.usage && {
      activations: profile.usage.activations,
      activatedProducts: sorted(profile.usage.activatedProducts),
      milestones: sorted(profile.usage.milestones),
      days: profile.usage.days,
    },
    recentViews: sorted(profile.recentViews),
  };
}

/**
 * Scores that fade with time are sums rounded at every event, so adding the same points in
 * another order can land a rounding step apart; an event applied twice moves them far more.
 */
export function decayedScores(profile: Profile): Record<string, number> {
  const scores: Record<string, number> = {};
  if (profile.engagement) scores['engagement.points'] = profile.engagement.points;
  for (const [name, value] of Object.entries(profile.scores)) scores[`scores.${name}`] = value;
  for (const [category, interest] of Object.entries(profile.interests ?? {})) scores[`interests.${category}`] = interest.score;
  return scores;
}

/**
 * Within a rounding step or two: 0.02, or 2% of the larger value, whichever is more; the whole
 * scores made from the points (`scores.*`) within 1.
 */
const closeEnough = (name: string, a: number, b: number): boolean =>
  Math.abs(a - b) <= (name.startsWith('scores.') ? 1 : Math.max(0.02, 0.02 * Math.max(Math.abs(a), Math.abs(b))));

/** JSON with object keys sorted: the order a profile's keys were written in means nothing. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => a.localeCompare(b)))
      : nested,
  );
}

export interface ProfileComparison {
  /** Readable differences, one a line; empty when the runs agree. */
  readonly differences: readonly string[];
  /** Profiles compared. */
  readonly compared: number;
}

/**
 * `stageSince` is when the system saw the customer reach their stage, and by design it never
 * moves back (a late event does not rewrite it): when a later event of the same step arrives
 * first, it sets the time, and the earlier one, applied after it, leaves it. So it depends on
 * arrival order; what must hold in any order is that it is the time of one of the customer's
 * events — never an arrival time, never outside their history.
 */
export function stageSinceInBounds(profile: Profile): boolean {
  const [since, first, last] = [profile.stageSince, profile.firstSeenAt, profile.lastActivityAt].map((at) => Date.parse(at));
  return (since ?? Number.NaN) >= (first ?? Number.NaN) && (since ?? Number.NaN) <= (last ?? Number.NaN);
}

export interface CompareOptions {
  /**
   * The second run was held up by faults: what the system does by the clock may come out
   * differently, never what the customer did.
   * - The system's own answers to support requests carry the time it answered, and count as the
   *   customer's support activity: a request parked in an outage and redriven is answered later,
   *   so `lastActivityAt` may be later — never earlier.
   * - The nightly scoring records the scores that changed since the night before, from whatever
   *   was recorded by then: an event a retry held up past it changes which nights a customer's
   *   scores change on (the scores after the last night agree). Those system-made profile updates
   *   are left out of the timelines compared, and so of the event count.
   */
  readonly delayed?: boolean;
}

/** Profile updates the system makes itself (the nightly scores, a journey's tags). */
const isSystemUpdate = (entry: TimelineEntry): boolean => entry.detailType === DetailTypes.ProfileUpdated && entry.source === LIFECYCLE_SOURCE;

/** The events on a timeline, by id (where they sit in time is the event's business). */
const eventIds = (entries: readonly TimelineEntry[] = [], leaveOut: (entry: TimelineEntry) => boolean = () => false): string[] =>
  entries
    .filter((entry) => !leaveOut(entry))
    .map((entry) => entry.eventId)
    .sort();

export function compareProfiles(expected: EndState, actual: EndState, options: CompareOptions = {}): ProfileComparison {
  const differences: string[] = [];
  const ids = [...new Set([...expected.profiles.keys(), ...actual.profiles.keys()])].sort();
  for (const id of ids) {
    const [a, b] = [expected.profiles.get(id), actual.profiles.get(id)];
    if (!a || !b) {
      differences.push(`${id}: profile only in the ${a ? 'first' : 'second'} run`);
      continue;
    }
    const [outcomeA, outcomeB] = [outcomeOf(a), outcomeOf(b)];
    if (options.delayed) {
      // Counted through the timelines below, the system's own updates left out.
      outcomeA.counters = { ...a.counters, events: undefined };
      outcomeB.counters = { ...b.counters, events: undefined };
    }
    for (const [run, state, profile] of [
      ['first', expected, a],
      ['second', actual, b],
    ] as const) {
      const timeline = state.timelines.get(id) ?? [];
      // Each event counted once and kept once: no update lost, none applied twice.
      if (profile.counters.events !== timeline.length)
        differences.push(`${id}: ${profile.counters.events} events counted but ${timeline.length} on the timeline in the ${run} run`);
    }
    const leaveOut = options.delayed ? isSystemUpdate : undefined;
    const [timelineA, timelineB] = [eventIds(expected.timelines.get(id), leaveOut), eventIds(actual.timelines.get(id), leaveOut)];
    if (JSON.stringify(timelineA) !== JSON.stringify(timelineB)) {
      differences.push(
        `${id}: timeline only in the first run ${JSON.stringify(timelineA.filter((e) => !timelineB.includes(e)))}, only in the second ${JSON.stringify(timelineB.filter((e) => !timelineA.includes(e)))}`,
      );
    }
    for (const field of Object.keys(outcomeA)) {
      const [left, right] = [canonical(outcomeA[field]), canonical(outcomeB[field])];
      if (left !== right) differences.push(`${id}: ${field} ${left} ≠ ${right}`);
    }
    const later = Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
    const answeredLater = options.delayed === true && later > 0 && b.support.resolved.length > 0;
    if (later !== 0 && !answeredLater) differences.push(`${id}: lastActivityAt ${a.lastActivityAt} ≠ ${b.lastActivityAt}`);
    for (const profile of [a, b]) {
      if (!stageSinceInBounds(profile)) differences.push(`${id}: stageSince ${profile.stageSince} outside ${profile.firstSeenAt} – ${profile.lastActivityAt}`);
    }
    const [scoresA, scoresB] = [decayedScores(a), decayedScores(b)];
    for (const name of new Set([...Object.keys(scoresA), ...Object.keys(scoresB)])) {
      const [left, right] = [scoresA[name], scoresB[name]];
      if (left === undefined || right === undefined || !closeEnough(name, left, right)) differences.push(`${id}: ${name} ${left} ≠ ${right}`);
    }
  }
  return { differences, compared: ids.length };
}

export interface EmailComparison {
  /** Addresses whose emails differ, as readable lines. */
  readonly differences: readonly string[];
  /** Emails compared (in the second run). */
  readonly compared: number;
  /** Marketing emails that took the last frequency-cap slot in one run, and were capped in the other. */
  readonly capSwaps: number;
}

/** Each email less what the other list holds too (a multiset difference). */
function without(emails: readonly Received[], other: readonly Received[]): Received[] {
  const left = other.map((email) => `${email.template}: ${email.subject}`);
  return emails.filter((email) => {
    const at = left.indexOf(`${email.template}: ${email.subject}`);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

const cappedIn = (state: EndState, email: Received): boolean =>
  [...state.messages.entries()].some(([key, message]) => key.endsWith(` ${email.messageKey}`) && message.status === 'skipped' && message.reason === 'capped');

/**
 * Compares what every address received. One difference is legitimate: the frequency cap lets a
 * customer's first few marketing emails of a week through, and two that fall due at the same
 * moment (the clock here moves in steps: a welcome tip and a cart's last call can wake up
 * together) race for the last slot; either may win. So an email sent in one run and skipped as
 * `capped` in the other, traded one for one against another such email, is not a difference.
 */
export function compareEmails(expected: EndState, actual: EndState): EmailComparison {
  const differences: string[] = [];
  let capSwaps = 0;
  let compared = 0;
  for (const address of [...new Set([...expected.emails.keys(), ...actual.emails.keys()])].sort()) {
    const [left, right] = [expected.emails.get(address) ?? [], actual.emails.get(address) ?? []];
    compared += right.length;
    const [onlyLeft, onlyRight] = [without(left, right), without(right, left)];
    if (onlyLeft.length === 0 && onlyRight.length === 0) continue;
    const swapped =
      onlyLeft.length === onlyRight.length && onlyLeft.every((email) => cappedIn(actual, email)) && onlyRight.every((email) => cappedIn(expected, email));
    if (swapped) {
      capSwaps += onlyLeft.length;
      continue;
    }
    const list = (emails: readonly Received[]) => JSON.stringify(emails.map((email) => `${email.template}: ${email.subject}`));
    differences.push(`${address}: only in the first run ${list(onlyLeft)}, only in the second ${list(onlyRight)}`);
  }
  return { differences, compared, capSwaps };
}
