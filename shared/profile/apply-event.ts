/**
 * Applies one validated event to a profile: a pure function, so every rule about counters, late
 * events and consent is unit-tested without a database.
 */
import { DetailTypes, LIFECYCLE_SOURCE, ownerOf, type CatalogEvent } from '../events/catalog.ts';
import type { CustomerRef } from '../events/envelope.ts';
import { decideStage, type StageDecision } from '../stages/transitions.ts';
import { addTouch, touchFrom } from './attribution.ts';
import { consentSaidBy } from './consent-statements.ts';
import { eventMark } from './identity.ts';
import { applyInterestFacts } from './interest-and-usage.ts';
import { addOrder } from './order-history.ts';
import { addSurveyAnswer, updateSubscription } from './voice.ts';
import { LIMITS, appendBounded, earlierOf, isNewer, laterOf, newProfile, type AttributeValue, type Profile } from './profile.ts';

export interface Applied {
  readonly profile: Profile;
  readonly stage: StageDecision;
  /** New attribute names the profile had no room for (it holds a bounded number): counted, not kept. */
  readonly attributesNotKept: number;
}

const CONTACT_FIELDS = ['email', 'name', 'locale', 'timezone'] as const satisfies readonly (keyof CustomerRef & keyof Profile)[];

const roundMoney = (amount: number): number => Math.round(amount * 100) / 100;

/** Sets contact fields the event carries, unless the profile holds a value set by a later event. */
function applyContact(profile: Profile, customer: CustomerRef, at: string): Profile {
  let next = profile;
  for (const field of CONTACT_FIELDS) {
    const value = customer[field];
    if (value === undefined || value === profile[field] || !isNewer(at, profile.fieldsAt[field])) continue;
    next = { ...next, [field]: value, fieldsAt: { ...next.fieldsAt, [field]: at } };
  }
  if (customer.anonymousId !== undefined && !next.anonymousIds.includes(customer.anonymousId)) {
    next = { ...next, anonymousIds: appendBounded(next.anonymousIds, customer.anonymousId, LIMITS.anonymousIds) };
  }
  return next;
}

function applyAttributes(profile: Profile, attributes: Readonly<Record<string, AttributeValue>>, at: string): Profile {
  const merged: Record<string, AttributeValue> = { ...profile.attributes };
  const fieldsAt: Record<string, string> = { ...profile.fieldsAt };
  for (const [name, value] of Object.entries(attributes)) {
    const key = `attr.${name}`;
    if (!isNewer(at, fieldsAt[key])) continue;
    // A profile holds a bounded number of attributes; a new name beyond the bound is not kept (applyEvent counts it).
    if (!Object.hasOwn(merged, name) && Object.keys(merged).length >= LIMITS.attributes) continue;
    merged[name] = value;
    fieldsAt[key] = at;
  }
  return { ...profile, attributes: merged, fieldsAt };
}

/** Each consent statement the event makes, unless the profile holds a later one on the same topic. */
function applyConsent(profile: Profile, event: CatalogEvent, at: string): Profile {
  let email = profile.consent.email;
  for (const { topic, subscribed } of consentSaidBy(event)?.statements ?? []) {
    if (topic === 'all') {
      if (isNewer(at, email.all?.at)) email = { ...email, all: { subscribed, at } };
    } else if (isNewer(at, email.topics[topic]?.at)) {
      email = { ...email, topics: { ...email.topics, [topic]: { subscribed, at } } };
    }
  }
  return email === profile.consent.email ? profile : { ...profile, consent: { ...profile.consent, email } };
}

/** Applies what the event itself says (data), apart from stage and contact. */
function applyData(profile: Profile, event: CatalogEvent, at: string): Profile {
  switch (event.detailType) {
    case DetailTypes.OrderPlaced: {
      const { total, currency } = event.detail.data;
      return {
        ...profile,
        counters: { ...profile.counters, orders: profile.counters.orders + 1 },
        revenue: { ...profile.revenue, [currency]: roundMoney((profile.revenue[currency] ?? 0) + total) },
        orderHistory: addOrder(profile.orderHistory, event.detail.data, at),
      };
    }
    case DetailTypes.CampaignTouched:
      return { ...profile, attribution: addTouch(profile.attribution, touchFrom(event.detail.data, at)) };
    case DetailTypes.SurveyResponded: {
      const { kind, score, surveyId } = event.detail.data;
      const surveys = addSurveyAnswer(profile.surveys, kind, { surveyId, score, at });
      const latest = surveys[kind]?.score ?? score;
      return { ...profile, surveys, scores: { ...profile.scores, [kind]: latest } };
    }
    case DetailTypes.SubscriptionRenewed:
    case DetailTypes.SubscriptionCancelled: {
      const status = event.detailType === DetailTypes.SubscriptionRenewed ? 'active' : 'cancelled';
      return { ...profile, subscription: updateSubscription(profile.subscription, { plan: event.detail.data.plan, status, at }) };
    }
    case DetailTypes.SupportRequested: {
      const { requestId } = event.detail.data;
      const { open, resolved } = profile.support;
      if (open.includes(requestId) || resolved.includes(requestId)) return profile;
      return {
        ...profile,
        counters: { ...profile.counters, supportRequests: profile.counters.supportRequests + 1 },
        support: { open: [...open, requestId], resolved },
      };
    }
    case DetailTypes.SupportResolved: {
      const { requestId } = event.detail.data;
      const { open, resolved } = profile.support;
      // A resolution that overtook its request still stands for a request the customer made: it
      // is counted here, and the request, when it comes, finds it resolved and is not counted
      // again — so the count is the same whichever of the two arrives first.
      const unseen = !open.includes(requestId) && !resolved.includes(requestId);
      return {
        ...profile,
        ...(unseen && { counters: { ...profile.counters, supportRequests: profile.counters.supportRequests + 1 } }),
        support: {
          open: open.filter((id) => id !== requestId),
          resolved: appendBounded(resolved, requestId, LIMITS.resolvedSupportRequests),
        },
      };
    }
    case DetailTypes.ProfileUpdated:
      return applyAttributes(profile, event.detail.data.attributes, at);
    case DetailTypes.ConsentUpdated:
      return applyConsent(profile, event, at);
    case DetailTypes.LeadCaptured:
      return applyConsent({ ...profile, attribution: addTouch(profile.attribution, touchFrom(event.detail.data, at)) }, event, at);
    default:
      return profile;
  }
}

/** Interests, engagement, views and usage; the engagement score is kept in `scores.engagement`. */
function applyFacts(profile: Profile, event: CatalogEvent, at: string): Profile {
  const { engagementScore, ...facts } = applyInterestFacts(profile, event, at);
  return { ...profile, ...facts, ...(engagementScore !== undefined && { scores: { ...profile.scores, engagement: engagementScore } }) };
}

/** Moves the stage as the stage model decides; `stageSince` never goes back in time. */
function applyStage(profile: Profile, stage: StageDecision, at: string, mark: string): Profile {
  const { returnStage: _previousReturn, ...rest } = profile;
  const withReturn = stage.returnStage === undefined ? rest : { ...rest, returnStage: stage.returnStage };
  if (!stage.changed) return withReturn;
  return {
    ...withReturn,
    stage: stage.stage,
    stageSince: laterOf(profile.stageSince, at),
    lastStageChange: { ...(stage.from && { from: stage.from }), reason: stage.reason, by: mark },
  };
}

/**
 * Applies an event to a customer's profile (absent for a customer not seen before).
 *
 * @param now - when the event is recorded (the clock is a dependency of the caller)
 */
export function applyEvent(current: Profile | undefined, customerId: string, event: CatalogEvent, now: string): Applied {
  const at = new Date(event.detail.occurredAt).toISOString();
  const before = current ?? newProfile(customerId, at);
  const stage = decideStage(
    {
      ...(current && { stage: current.stage }),
      ...(current?.returnStage && { returnStage: current.returnStage }),
      openSupportRequests: before.support.open,
      resolvedSupportRequests: before.support.resolved,
    },
    event,
  );
  // Customer activity moves `lastActivityAt`: not the system's own announcements, and not the
  // profile updates the system makes itself (the nightly scores, a journey's tags), which would
  // make an inactive customer look active — and, arriving whenever a retry lets them, make the
  // time depend on the system's timing rather than the customer's.
  const businessEvent = ownerOf(event.detailType) !== 'system' && !(event.detailType === DetailTypes.ProfileUpdated && event.source === LIFECYCLE_SOURCE);
  const mark = eventMark(event.detail.eventId);
  let profile: Profile = {
    ...before,
    version: before.version + 1,
    firstSeenAt: earlierOf(before.firstSeenAt, at),
    lastActivityAt: businessEvent ? laterOf(before.lastActivityAt, at) : before.lastActivityAt,
    counters: { ...before.counters, events: before.counters.events + 1 },
    recentEvents: appendBounded(before.recentEvents, mark, LIMITS.recentEvents),
    updatedAt: now,
  };
  profile = applyContact(profile, event.detail.customer, at);
  profile = applyData(profile, event, at);
  profile = applyFacts(profile, event, at);
  profile = applyStage(profile, stage, at, mark);
  const offered = event.detailType === DetailTypes.ProfileUpdated ? Object.keys(event.detail.data.attributes) : [];
  const kept = profile.attributes;
  return { profile, stage, attributesNotKept: offered.filter((name) => !(name in kept)).length };
}
