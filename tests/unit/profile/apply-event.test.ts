import { describe, expect, it } from 'vitest';
import { LIFECYCLE_SOURCE, type DetailType } from '#shared/events/catalog.ts';
import { parseEvent } from '#shared/events/parse.ts';
import { applyEvent } from '#shared/profile/apply-event.ts';
import { eventMark } from '#shared/profile/identity.ts';
import { LIMITS, type Profile } from '#shared/profile/profile.ts';
import { catalogEvent, fixture } from '#tests/fixtures/events.ts';

const NOW = '2026-11-22T12:00:00.000Z';
let counter = 0;

/** A fixture event with a fresh id, at a given time, with parts of its detail replaced. */
function event(detailType: DetailType, occurredAt: string, overrides: { customer?: Record<string, unknown>; data?: Record<string, unknown> } = {}) {
  const raw = fixture(detailType);
  return catalogEvent(detailType, {
    eventId: `e-${++counter}`,
    occurredAt,
    customer: overrides.customer ?? { id: 'c-1' },
    data: { ...raw.detail.data, ...overrides.data },
  });
}

/** Applies events in the order given, as if each was read back from the store. */
function applyAll(...events: ReturnType<typeof event>[]): Profile {
  let profile: Profile | undefined;
  for (const e of events) profile = applyEvent(profile, 'c-1', e, NOW).profile;
  if (!profile) throw new Error('no events');
  return profile;
}

describe('applying an event to a profile', () => {
  it('creates a profile for a customer not seen before', () => {
    const { profile, stage } = applyEvent(undefined, 'c-1', event('product.viewed', '2026-11-20T08:00:00Z'), NOW);

    expect(profile).toMatchObject({
      customerId: 'c-1',
      version: 1,
      identified: true,
      stage: 'research',
      stageSince: '2026-11-20T08:00:00.000Z',
      firstSeenAt: '2026-11-20T08:00:00.000Z',
      lastActivityAt: '2026-11-20T08:00:00.000Z',
      counters: { events: 1, orders: 0, supportRequests: 0 },
      updatedAt: NOW,
    });
    expect(stage).toMatchObject({ stage: 'research', changed: true });
  });

  it('counts orders and adds revenue per currency, to the cent', () => {
    const profile = applyAll(
      event('order.placed', '2026-11-20T08:00:00Z', { data: { total: 10.1, currency: 'EUR' } }),
      event('order.placed', '2026-11-20T09:00:00Z', { data: { total: 20.2, currency: 'EUR' } }),
      event('order.placed', '2026-11-20T10:00:00Z', { data: { total: 15000, currency: 'KRW' } }),
    );

    expect(profile.counters).toMatchObject({ events: 3, orders: 3 });
    expect(profile.revenue).toEqual({ EUR: 30.3, KRW: 15000 });
    expect(profile.version).toBe(3);
  });

  it('keeps contact details from the newest event, whatever order events arrive in', () => {
    const newer = event('product.viewed', '2026-11-21T00:00:00Z', { customer: { id: 'c-1', name: 'Mina Park', locale: 'ko-KR' } });
    const older = event('product.viewed', '2026-11-20T00:00:00Z', { customer: { id: 'c-1', name: 'Mina Kim', timezone: 'Asia/Seoul' } });

    const profile = applyAll(newer, older);

    expect(profile.name).toBe('Mina Park');
    expect(profile.locale).toBe('ko-KR');
    // A late event still fills a field nobody set.
    expect(profile.timezone).toBe('Asia/Seoul');
    expect(profile.lastActivityAt).toBe('2026-11-21T00:00:00.000Z');
    expect(profile.firstSeenAt).toBe('2026-11-20T00:00:00.000Z');
  });

  it('lets a late event set a field that was last set even earlier', () => {
    const first = event('profile.updated', '2026-11-01T00:00:00Z', { data: { attributes: { plan: 'silver' } } });
    const unrelated = event('order.delivered', '2026-11-03T00:00:00Z');
    const late = event('profile.updated', '2026-11-02T00:00:00Z', { data: { attributes: { plan: 'gold', vip: true } } });

    expect(applyAll(first, unrelated, late).attributes).toEqual({ plan: 'gold', vip: true });
  });

  it('never lets a late attribute overwrite a newer one, and removes none on null', () => {
    const newer = event('profile.updated', '2026-11-05T00:00:00Z', { data: { attributes: { plan: 'gold', referrer: null } } });
    const older = event('profile.updated', '2026-11-04T00:00:00Z', { data: { attributes: { plan: 'silver', referrer: 'friend' } } });

    expect(applyAll(newer, older).attributes).toEqual({ plan: 'gold', referrer: null });
  });

  it('holds at most the bounded number of attribute names', () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`a${n}`, n]));
    const more = { extra: 1, a0: 'changed' };
    const profile = applyAll(
      event('profile.updated', '2026-11-05T00:00:00Z', { data: { attributes: many } }),
      event('profile.updated', '2026-11-06T00:00:00Z', { data: { attributes: more } }),
    );
    expect(Object.keys(profile.attributes)).toHaveLength(LIMITS.attributes);
    expect(profile.attributes).toMatchObject({ a0: 'changed' });
    expect(profile.attributes).not.toHaveProperty('extra');
  });

  it('counts the new attribute names it had no room for', () => {
    const full = applyAll(
      event('profile.updated', '2026-11-05T00:00:00Z', {
        data: { attributes: Object.fromEntries(Array.from({ length: LIMITS.attributes }, (_, n) => [`a${n}`, n])) },
      }),
    );

    const applied = applyEvent(
      full,
      full.customerId,
      event('profile.updated', '2026-11-06T00:00:00Z', { data: { attributes: { extra: 1, other: 2, a0: 'changed' } } }),
      NOW,
    );

    expect(applied.attributesNotKept).toBe(2);
    expect(
      applyEvent(undefined, 'c-1', event('profile.updated', '2026-11-06T00:00:00Z', { data: { attributes: { plan: 'gold' } } }), NOW).attributesNotKept,
    ).toBe(0);
  });

  it('records consent from a lead form and from consent updates, the latest statement winning', () => {
    const lead = event('lead.captured', '2026-11-01T00:00:00Z', { data: { consent: { email: true, topics: ['newsletter', 'offers'] } } });
    const optOut = event('consent.updated', '2026-11-03T00:00:00Z', { data: { topic: 'offers', subscribed: false } });
    const lateOptIn = event('consent.updated', '2026-11-02T00:00:00Z', { data: { topic: 'offers', subscribed: true } });
    const globalOut = event('consent.updated', '2026-11-04T00:00:00Z', { data: { topic: undefined, subscribed: false } });

    const profile = applyAll(lead, optOut, lateOptIn, globalOut);

    expect(profile.consent.email).toEqual({
      all: { subscribed: false, at: '2026-11-04T00:00:00.000Z' },
      topics: {
        newsletter: { subscribed: true, at: '2026-11-01T00:00:00.000Z' },
        offers: { subscribed: false, at: '2026-11-03T00:00:00.000Z' },
      },
    });
  });

  it("takes a lead's consent to the topics it names, or to all email when it names none", () => {
    const topics = applyAll(event('lead.captured', '2026-11-01T00:00:00Z', { data: { consent: { email: true, topics: ['newsletter'] } } }));
    expect(topics.consent.email).toEqual({ topics: { newsletter: { subscribed: true, at: '2026-11-01T00:00:00.000Z' } } });
    const everything = applyAll(event('lead.captured', '2026-11-01T00:00:00Z', { data: { consent: { email: true } } }));
    expect(everything.consent.email).toEqual({ all: { subscribed: true, at: '2026-11-01T00:00:00.000Z' }, topics: {} });
  });

  it('records a lead who declined email without subscribing any topic', () => {
    const profile = applyAll(event('lead.captured', '2026-11-01T00:00:00Z', { data: { consent: { email: false, topics: ['offers'] } } }));
    expect(profile.consent.email).toEqual({ all: { subscribed: false, at: '2026-11-01T00:00:00.000Z' }, topics: {} });
  });

  it('never moves the stage back, nor its start back in time, for a late event', () => {
    const delivered = event('order.delivered', '2026-11-10T00:00:00Z');
    const lateView = event('product.viewed', '2026-11-01T00:00:00Z');

    const profile = applyAll(delivered, lateView);

    expect(profile.stage).toBe('use');
    expect(profile.stageSince).toBe('2026-11-10T00:00:00.000Z');
  });

  it('moves forward on a late event without moving the stage start back', () => {
    const view = event('product.viewed', '2026-11-10T00:00:00Z');
    const lateOrder = event('order.placed', '2026-11-05T00:00:00Z');

    const profile = applyAll(view, lateOrder);

    expect(profile.stage).toBe('buy');
    expect(profile.stageSince).toBe('2026-11-10T00:00:00.000Z');
  });

  it('tracks open support requests and returns from support when the last is resolved', () => {
    const requested = (id: string, at: string) => event('support.requested', at, { data: { requestId: id } });
    const resolved = (id: string, at: string) => event('support.resolved', at, { data: { requestId: id } });

    const inSupport = applyAll(
      event('order.delivered', '2026-11-01T00:00:00Z'),
      requested('r-1', '2026-11-02T00:00:00Z'),
      requested('r-2', '2026-11-02T01:00:00Z'),
    );
    expect(inSupport).toMatchObject({ stage: 'support', returnStage: 'use', support: { open: ['r-1', 'r-2'] }, counters: { supportRequests: 2 } });

    const back = applyAll(
      event('order.delivered', '2026-11-01T00:00:00Z'),
      requested('r-1', '2026-11-02T00:00:00Z'),
      requested('r-2', '2026-11-02T01:00:00Z'),
      resolved('r-1', '2026-11-03T00:00:00Z'),
      resolved('r-2', '2026-11-03T01:00:00Z'),
    );
    expect(back).toMatchObject({ stage: 'use', support: { open: [], resolved: ['r-1', 'r-2'] } });
    expect(back).not.toHaveProperty('returnStage');
  });

  it('counts a request whose resolution arrived first once, as in the other order', () => {
    const profile = applyAll(
      event('support.resolved', '2026-11-03T00:00:00Z', { data: { requestId: 'r-1' } }),
      event('support.requested', '2026-11-02T00:00:00Z', { data: { requestId: 'r-1' } }),
    );
    expect(profile).toMatchObject({ stage: 'discover', support: { open: [], resolved: ['r-1'] }, counters: { supportRequests: 1 } });
  });

  it('keeps the marks of the latest events only, and notes which event moved the stage', () => {
    const events = Array.from({ length: 10 }, (_, n) => event('product.viewed', `2026-11-01T00:0${n}:00Z`));
    const profile = applyAll(...events);

    expect(profile.recentEvents).toHaveLength(LIMITS.recentEvents);
    expect(profile.recentEvents.at(-1)).toBe(eventMark(events[9]!.detail.eventId));
    expect(profile.recentEvents).not.toContain(eventMark(events[0]!.detail.eventId));
    expect(profile.lastStageChange).toEqual({ reason: 'new customer; started researching (product.viewed)', by: eventMark(events[0]!.detail.eventId) });
  });

  it('does not count a system event as customer activity', () => {
    const profile = applyAll(event('order.placed', '2026-11-01T00:00:00Z'), event('email.opened', '2026-11-05T00:00:00Z'));
    expect(profile.lastActivityAt).toBe('2026-11-01T00:00:00.000Z');
    expect(profile.counters.events).toBe(2);
  });

  it("does not count the system's own profile updates (nightly scores, a journey's tags) as customer activity", () => {
    const scored = parseEvent({
      detailType: 'profile.updated',
      source: LIFECYCLE_SOURCE,
      detail: { eventId: 'e-scored', occurredAt: '2026-11-05T00:00:00Z', customer: { id: 'c-1' }, data: { attributes: { rfm: '155' } } },
    });
    if (!scored.ok) throw new Error(scored.reason);
    const profile = applyAll(event('order.placed', '2026-11-01T00:00:00Z'), scored.event);
    expect(profile.lastActivityAt).toBe('2026-11-01T00:00:00.000Z');
    expect(profile.attributes.rfm).toBe('155');
  });

  it('remembers anonymous ids the customer was seen with', () => {
    const profile = applyAll(event('product.viewed', '2026-11-01T00:00:00Z', { customer: { id: 'c-1', anonymousId: 'v-1' } }));
    expect(profile.anonymousIds).toEqual(['v-1']);
  });
});
