import { describe, expect, it } from 'vitest';
import { mergeProfiles } from '#shared/profile/merge-profiles.ts';
import { newProfile, type Profile } from '#shared/profile/profile.ts';

const NOW = '2026-11-22T12:00:00.000Z';

function profile(customerId: string, changes: Partial<Profile>): Profile {
  return { ...newProfile(customerId, '2026-11-01T00:00:00.000Z'), version: 3, ...changes };
}

describe('merging a provisional profile into a customer', () => {
  const visitor = profile('anon:v-1', {
    anonymousIds: ['v-1'],
    name: 'Visitor name',
    locale: 'ko-KR',
    fieldsAt: { name: '2026-11-05T00:00:00.000Z', locale: '2026-11-02T00:00:00.000Z', 'attr.plan': '2026-11-09T00:00:00.000Z' },
    attributes: { plan: 'trial' },
    stage: 'research',
    stageSince: '2026-11-02T00:00:00.000Z',
    firstSeenAt: '2026-10-01T00:00:00.000Z',
    lastActivityAt: '2026-11-09T00:00:00.000Z',
    counters: { events: 4, orders: 0, supportRequests: 1 },
    revenue: { EUR: 0.1 },
    consent: { email: { topics: { offers: { subscribed: true, at: '2026-11-03T00:00:00.000Z' } } } },
    support: { open: ['r-7'], resolved: [] },
    recentEvents: ['m-visitor'],
  });
  const customer = profile('c-1', {
    name: 'Mina Kim',
    locale: 'en-GB',
    fieldsAt: { name: '2026-11-04T00:00:00.000Z', locale: '2026-11-08T00:00:00.000Z', 'attr.plan': '2026-11-10T00:00:00.000Z' },
    attributes: { plan: 'gold' },
    stage: 'buy',
    stageSince: '2026-11-08T00:00:00.000Z',
    lastActivityAt: '2026-11-08T00:00:00.000Z',
    counters: { events: 2, orders: 1, supportRequests: 0 },
    revenue: { EUR: 0.2, KRW: 1000 },
    consent: {
      email: { all: { subscribed: true, at: '2026-11-08T00:00:00.000Z' }, topics: { offers: { subscribed: false, at: '2026-11-01T00:00:00.000Z' } } },
    },
    recentEvents: ['m-customer'],
  });

  const merged = mergeProfiles(customer, visitor, NOW);

  it('adds up counters and revenue', () => {
    expect(merged.counters).toEqual({ events: 6, orders: 1, supportRequests: 1 });
    expect(merged.revenue).toEqual({ EUR: 0.3, KRW: 1000 });
  });

  it('keeps the newer value of each field', () => {
    expect(merged.name).toBe('Visitor name');
    expect(merged.locale).toBe('en-GB');
    expect(merged.attributes).toEqual({ plan: 'gold' });
    expect(merged.consent.email.topics.offers).toEqual({ subscribed: true, at: '2026-11-03T00:00:00.000Z' });
    expect(merged.consent.email.all).toEqual({ subscribed: true, at: '2026-11-08T00:00:00.000Z' });
  });

  it('spans both histories', () => {
    expect(merged.firstSeenAt).toBe('2026-10-01T00:00:00.000Z');
    expect(merged.lastActivityAt).toBe('2026-11-09T00:00:00.000Z');
  });

  it('keeps the further stage, in support while a request of either is open', () => {
    expect(merged).toMatchObject({ stage: 'support', returnStage: 'buy', support: { open: ['r-7'] } });
    const noSupport = mergeProfiles(customer, { ...visitor, support: { open: [], resolved: [] } }, NOW);
    expect(noSupport).toMatchObject({ stage: 'buy', stageSince: '2026-11-08T00:00:00.000Z' });
  });

  it('records what it merged, remembers the anonymous ids and bumps the version', () => {
    expect(merged.mergedFrom).toEqual(['anon:v-1']);
    expect(merged.anonymousIds).toEqual(['v-1']);
    expect(merged.recentEvents).toEqual(['m-customer', 'm-visitor']);
    expect(merged.version).toBe(4);
    expect(merged.customerId).toBe('c-1');
  });
});
