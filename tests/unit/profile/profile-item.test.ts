import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { newProfile, type Profile } from '#shared/profile/profile.ts';
import { fromProfileItem, toProfileItem } from '#shared/profile/profile-item.ts';

const profile: Profile = {
  ...newProfile('c-1', '2026-11-01T10:00:00.000Z'),
  version: 3,
  email: 'mina@example.com',
  name: 'Mina Kim',
  locale: 'ko-KR',
  timezone: 'Asia/Seoul',
  stage: 'buy',
  counters: { events: 3, orders: 1, supportRequests: 0 },
  revenue: { KRW: 45_000 },
  scores: { engagement: 12 },
  consent: { email: { topics: { newsletter: { subscribed: true, at: '2026-11-01T10:00:00.000Z' } } } },
  attributes: { tier: 'gold', churnRisk: false, note: null },
  attribution: { first: { channel: 'instagram', at: '2026-11-01T10:00:00.000Z' }, last: { channel: 'signup-form', at: '2026-11-01T10:00:00.000Z' } },
  subscription: { plan: 'care-plus', status: 'active', at: '2026-11-02T10:00:00.000Z' },
  recentViews: ['p-oak-chair'],
  recentEvents: ['abcdefghijkl'],
  fieldsAt: { email: '2026-11-01T10:00:00.000Z' },
};

describe('the profile item', () => {
  it('holds what people ask of a customer as attributes of their own, by the profile’s names', () => {
    const item = toProfileItem(profile);

    expect(item).toMatchObject({
      pk: 'CUSTOMER#c-1',
      sk: 'PROFILE',
      version: 3,
      email: 'mina@example.com',
      name: 'Mina Kim',
      locale: 'ko-KR',
      timezone: 'Asia/Seoul',
      stage: 'buy',
      counters: { events: 3, orders: 1, supportRequests: 0 },
      revenue: { KRW: 45_000 },
      scores: { engagement: 12 },
      consent: profile.consent,
      attributes: profile.attributes,
      attribution: profile.attribution,
      subscription: profile.subscription,
    });
    // Derived data and bookkeeping are packed, not repeated as attributes.
    expect(item).not.toHaveProperty('recentViews');
    expect(item).not.toHaveProperty('recentEvents');
    expect(item).not.toHaveProperty('body');
    // The customer id is the partition key's, stored once.
    expect(item).not.toHaveProperty('customerId');
  });

  it('reads back the profile it was made from', () => {
    expect(fromProfileItem(toProfileItem(profile))).toEqual(profile);
  });

  it('leaves out maps while they are empty, and reads them back empty', () => {
    const fresh = newProfile('c-2', '2026-11-01T10:00:00.000Z');
    const item = toProfileItem(fresh);

    expect(item).not.toHaveProperty('attributes');
    expect(item).not.toHaveProperty('revenue');
    expect(item).not.toHaveProperty('scores');
    expect(fromProfileItem(item)).toEqual(fresh);
  });

  it('reads an item of the first form, the whole profile packed in `body`', () => {
    const item = { pk: 'CUSTOMER#c-1', sk: 'PROFILE', version: 3, stage: 'buy', body: deflateRawSync(JSON.stringify(profile)) };

    expect(fromProfileItem(item)).toEqual(profile);
  });

  it('refuses an item that holds neither form', () => {
    expect(() => fromProfileItem({ pk: 'CUSTOMER#c-1', sk: 'PROFILE', email: 'mina@example.com' })).toThrow(/no packed fields/);
  });
});
