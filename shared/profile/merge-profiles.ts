/**
 * Folds a provisional profile (known only by an anonymous id or an email) into the customer it
 * turned out to be. Pure: counters add up, per-field timestamps decide which value wins, and the
 * stage is the further along of the two.
 */
import { isProgressionStage, rank, type ProgressionStage } from '../stages/stages.ts';
import { mergeAttribution } from './attribution.ts';
import { mergeInterestFacts } from './interest-and-usage.ts';
import { mergeOrderHistory } from './order-history.ts';
import { LIMITS, appendBounded, earlierOf, isNewer, laterOf, type EmailConsent, type Profile, type Statement } from './profile.ts';
import { mergeSubscription, mergeSurveys } from './voice.ts';

const CONTACT_FIELDS = ['email', 'name', 'locale', 'timezone'] as const;

function newerStatement(a: Statement | undefined, b: Statement | undefined): Statement | undefined {
  if (!a) return b;
  if (!b) return a;
  return isNewer(b.at, a.at) ? b : a;
}

function mergeConsent(target: EmailConsent, source: EmailConsent): EmailConsent {
  const topics: Record<string, Statement> = { ...target.topics };
  for (const [topic, statement] of Object.entries(source.topics)) {
    const winner = newerStatement(topics[topic], statement);
    if (winner) topics[topic] = winner;
  }
  const all = newerStatement(target.all, source.all);
  return { ...(all && { all }), topics };
}

/** The later of the two notices: a notice told the person of the consents both profiles held. */
function mergeNoticeTime(target: Profile, source: Profile): Pick<Profile, 'consentNoticeAt'> {
  const times = [target.consentNoticeAt, source.consentNoticeAt].filter((at): at is string => at !== undefined);
  const [first, ...rest] = times;
  return first === undefined ? {} : { consentNoticeAt: rest.reduce(laterOf, first) };
}

function sumRecords(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = { ...a };
  for (const [key, value] of Object.entries(b)) sum[key] = Math.round(((sum[key] ?? 0) + value) * 100) / 100;
  return sum;
}

const progressionOf = (profile: Profile): ProgressionStage => (isProgressionStage(profile.stage) ? profile.stage : (profile.returnStage ?? 'discover'));

/**
 * @param target - the customer's profile, or a fresh one if the customer had none yet
 * @param source - the provisional profile being merged
 */
export function mergeProfiles(target: Profile, source: Profile, now: string): Profile {
  let merged: Profile = {
    ...target,
    version: target.version + 1,
    firstSeenAt: earlierOf(target.firstSeenAt, source.firstSeenAt),
    lastActivityAt: laterOf(target.lastActivityAt, source.lastActivityAt),
    counters: {
      events: target.counters.events + source.counters.events,
      orders: target.counters.orders + source.counters.orders,
      supportRequests: target.counters.supportRequests + source.counters.supportRequests,
    },
    revenue: sumRecords(target.revenue, source.revenue),
    scores: { ...source.scores, ...target.scores },
    consent: { email: mergeConsent(target.consent.email, source.consent.email) },
    ...mergeNoticeTime(target, source),
    anonymousIds: source.anonymousIds.reduce((ids, id) => appendBounded(ids, id, LIMITS.anonymousIds), [...target.anonymousIds]),
    recentEvents: source.recentEvents.reduce((marks, mark) => appendBounded(marks, mark, LIMITS.recentEvents), [...target.recentEvents]),
    mergedFrom: appendBounded(target.mergedFrom, source.customerId, LIMITS.mergedFrom),
    updatedAt: now,
  };

  const fieldsAt: Record<string, string> = { ...merged.fieldsAt };
  const attributes = { ...merged.attributes };
  for (const field of CONTACT_FIELDS) {
    const value = source[field];
    const at = source.fieldsAt[field];
    if (value === undefined || at === undefined || !isNewer(at, fieldsAt[field])) continue;
    merged = { ...merged, [field]: value };
    fieldsAt[field] = at;
  }
  for (const [name, value] of Object.entries(source.attributes)) {
    const key = `attr.${name}`;
    const at = source.fieldsAt[key];
    if (at === undefined || !isNewer(at, fieldsAt[key])) continue;
    attributes[name] = value;
    fieldsAt[key] = at;
  }

  const open = [...new Set([...target.support.open, ...source.support.open])];
  const resolved = [...new Set([...target.support.resolved, ...source.support.resolved])].slice(-LIMITS.resolvedSupportRequests);
  const a = progressionOf(target);
  const b = progressionOf(source);
  const furthest = rank(b) > rank(a) ? b : a;
  const stageSince = laterOf(target.stageSince, source.stageSince);
  const { returnStage: _dropped, ...withoutReturn } = merged;
  const stage =
    open.length > 0
      ? { stage: 'support' as const, returnStage: furthest, stageSince }
      : { stage: furthest, stageSince: furthest === target.stage ? target.stageSince : stageSince };
  return { ...withoutReturn, ...stage, attributes, fieldsAt, support: { open, resolved }, ...mergeActivity(target, source) };
}

/** What the stages learnt about each of the two: attribution, orders, answers, subscription. */
function mergeActivity(target: Profile, source: Profile): Partial<Profile> {
  const attribution = mergeAttribution(target.attribution, source.attribution);
  const orderHistory = mergeOrderHistory(target.orderHistory, source.orderHistory);
  const surveys = mergeSurveys(target.surveys, source.surveys);
  const subscription = mergeSubscription(target.subscription, source.subscription);
  return {
    ...(attribution && { attribution }),
    ...(orderHistory && { orderHistory }),
    ...(surveys && { surveys }),
    ...(subscription && { subscription }),
    ...mergeInterestFacts(target, source),
  };
}
