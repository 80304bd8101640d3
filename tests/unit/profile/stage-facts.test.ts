/** What each stage's events teach the profile beyond counters: attribution, orders, answers, subscription. */
import { describe, expect, it } from 'vitest';
import type { DetailType } from '#shared/events/catalog.ts';
import { applyEvent } from '#shared/profile/apply-event.ts';
import { mergeProfiles } from '#shared/profile/merge-profiles.ts';
import { averageOrderValue, ORDER_HISTORY_LIMITS } from '#shared/profile/order-history.ts';
import { pack } from '#shared/profile/packing.ts';
import type { Profile } from '#shared/profile/profile.ts';
import { catalogEvent, fixture } from '#tests/fixtures/events.ts';

const NOW = '2026-11-22T12:00:00.000Z';
let counter = 0;

function event(detailType: DetailType, occurredAt: string, data: Record<string, unknown> = {}, customer: Record<string, string> = { id: 'c-1' }) {
  return catalogEvent(detailType, { eventId: `f-${++counter}`, occurredAt, customer, data: { ...fixture(detailType).detail.data, ...data } });
}

function applyAll(events: ReturnType<typeof event>[], customerId = 'c-1'): Profile {
  let profile: Profile | undefined;
  for (const each of events) profile = applyEvent(profile, customerId, each, NOW).profile;
  return profile ?? expect.unreachable();
}

const order = (at: string, orderId: string, productIds: string[], total = 100, currency = 'EUR') =>
  event('order.placed', at, {
    orderId,
    items: productIds.map((productId) => ({ productId, name: `Name of ${productId}`, quantity: 1, price: total / productIds.length })),
    total,
    currency,
  });

describe('attribution', () => {
  it('keeps the first and the last touch by when they happened, whatever order they arrive in', () => {
    const profile = applyAll([
      event('campaign.touched', '2026-11-10T00:00:00Z', { channel: 'search', campaign: 'autumn', utm: { source: 'google', medium: 'cpc' } }),
      event('lead.captured', '2026-11-12T00:00:00Z', { channel: 'signup-form', campaign: undefined, utm: undefined }),
      // Late: happened first of all.
      event('campaign.touched', '2026-11-01T00:00:00Z', {
        channel: 'instagram',
        campaign: undefined,
        utm: { campaign: 'launch', source: 'ig', medium: 'social' },
      }),
    ]);
    expect(profile.attribution).toEqual({
      first: { channel: 'instagram', campaign: 'launch', source: 'ig', medium: 'social', at: '2026-11-01T00:00:00.000Z' },
      last: { channel: 'signup-form', at: '2026-11-12T00:00:00.000Z' },
    });
  });
});

describe('order history', () => {
  it('keeps first and latest order, their dates, the products bought and the latest items', () => {
    const profile = applyAll([
      order('2026-10-01T00:00:00Z', 'o-1', ['p-a', 'p-b'], 100),
      order('2026-11-01T00:00:00Z', 'o-2', ['p-c'], 50),
      order('2026-10-15T00:00:00Z', 'o-late', ['p-a'], 30),
    ]);
    expect(profile.orderHistory).toEqual({
      firstAt: '2026-10-01T00:00:00.000Z',
      lastAt: '2026-11-01T00:00:00.000Z',
      recentAt: ['2026-10-01', '2026-10-15', '2026-11-01'],
      byCurrency: { EUR: 3 },
      // A late order adds only what was not bought yet, and not as the latest purchase.
      products: ['p-a', 'p-b', 'p-c'],
      lastItems: [{ productId: 'p-c', name: 'Name of p-c' }],
    });
    // (100 + 50 + 30) / 3 = 60
    expect(averageOrderValue(profile.orderHistory, profile.revenue)).toEqual({ EUR: 60 });
  });

  it('stays bounded however many orders come', () => {
    const orders = Array.from({ length: 20 }, (_, n) =>
      order(`2026-01-${String(n + 1).padStart(2, '0')}T00:00:00Z`, `o-${n}`, [`p-${n}`, `q-${n}`, `r-${n}`, `s-${n}`]),
    );
    const history = applyAll(orders).orderHistory;
    expect(history?.recentAt).toHaveLength(ORDER_HISTORY_LIMITS.recentAt);
    expect(history?.recentAt[0]).toBe('2026-01-13');
    expect(history?.products).toHaveLength(ORDER_HISTORY_LIMITS.products);
    expect(history?.products.at(-1)).toBe('s-19');
    expect(history?.lastItems.map((item) => item.productId)).toEqual(['p-19', 'q-19', 'r-19']);
  });
});

describe('voice of the customer', () => {
  it('keeps the latest answer of each survey kind and mirrors it in the scores', () => {
    const profile = applyAll([
      event('survey.responded', '2026-11-10T00:00:00Z', { surveyId: 'nps-1', kind: 'nps', score: 6 }),
      event('survey.responded', '2026-11-12T00:00:00Z', { surveyId: 'csat-1', kind: 'csat', score: 5 }),
      event('survey.responded', '2026-11-01T00:00:00Z', { surveyId: 'nps-0', kind: 'nps', score: 10 }),
    ]);
    expect(profile.surveys).toEqual({
      nps: { surveyId: 'nps-1', score: 6, at: '2026-11-10T00:00:00.000Z' },
      csat: { surveyId: 'csat-1', score: 5, at: '2026-11-12T00:00:00.000Z' },
    });
    expect(profile.scores).toMatchObject({ nps: 6, csat: 5 });
  });

  it('follows the subscription by the latest renewal or cancellation', () => {
    const cancelled = applyAll([
      event('subscription.renewed', '2026-10-01T00:00:00Z', { plan: 'care-plus' }),
      event('subscription.cancelled', '2026-11-01T00:00:00Z', { plan: 'care-plus' }),
    ]);
    const renewedLate = applyAll([
      event('subscription.cancelled', '2026-11-01T00:00:00Z', { plan: 'care-plus' }),
      event('subscription.renewed', '2026-10-01T00:00:00Z', { plan: 'care-plus' }),
    ]);
    expect(cancelled.subscription).toEqual({ plan: 'care-plus', status: 'cancelled', at: '2026-11-01T00:00:00.000Z' });
    expect(renewedLate.subscription?.status).toBe('cancelled');
  });
});

describe('merging an anonymous visitor into the customer', () => {
  it("carries the visitor's first touch and orders over", () => {
    const visitor = applyAll(
      [event('campaign.touched', '2026-11-01T00:00:00Z', { channel: 'instagram', campaign: 'launch' }, { anonymousId: 'v-1' })],
      'anon:v-1',
    );
    const customer = applyAll([event('lead.captured', '2026-11-05T00:00:00Z', { channel: 'signup-form' }), order('2026-11-06T00:00:00Z', 'o-1', ['p-a'])]);
    const merged = mergeProfiles(customer, visitor, NOW);
    expect(merged.attribution?.first).toMatchObject({ channel: 'instagram', campaign: 'launch' });
    expect(merged.attribution?.last).toMatchObject({ channel: 'signup-form' });
    expect(merged.orderHistory?.products).toEqual(['p-a']);
  });
});

describe('the size of a profile', () => {
  const categories = ['furniture', 'lighting', 'textiles', 'outdoor', 'kitchen', 'bath', 'office', 'kids', 'garden'];
  const usageDays = (days: number) =>
    Array.from({ length: days }, (_, n) =>
      event('usage.recorded', new Date(Date.parse('2026-09-23T00:00:00Z') + n * 86_400_000).toISOString(), {
        productId: 'p-smart-bulb',
        quantity: 1 + (n % 7),
      }),
    );
  const busy = (orders: number, views: number, days: number) => [
    event('lead.captured', '2026-09-01T00:00:00Z', {
      channel: 'signup-form',
      campaign: 'autumn-sale-2026-instagram',
      utm: { source: 'instagram', medium: 'social' },
    }),
    event('campaign.touched', '2026-09-02T00:00:00Z', {
      channel: 'newsletter',
      campaign: 'black-friday-early-access',
      utm: { source: 'email', medium: 'newsletter' },
    }),
    ...Array.from({ length: views }, (_, n) =>
      event('product.viewed', new Date(Date.parse('2026-09-03T00:00:00Z') + n * 3_600_000).toISOString(), {
        productId: `p-${categories[n % 9]}-${n}`,
        category: categories[n % 9],
      }),
    ),
    ...Array.from({ length: orders }, (_, n) =>
      order(`2026-10-${String(n + 1).padStart(2, '0')}T10:00:00Z`, `o-2026-10-${n}-abcdef`, [`p-${categories[n % 9]}-${n}`, `p-extra-${n}`]),
    ),
    ...usageDays(days),
    event('product.activated', '2026-10-02T00:00:00Z', { productId: 'p-smart-bulb' }),
    event('survey.responded', '2026-11-10T00:00:00Z', { surveyId: 'nps-2026-q4', kind: 'nps', score: 9 }),
    event('subscription.renewed', '2026-11-11T00:00:00Z', { plan: 'care-plus' }),
    event('profile.updated', '2026-11-12T00:00:00Z', {
      attributes: { plan: 'gold', rfm: '545', rfmSegment: 'champions', churnRisk: false, firstName: 'Mina' },
    }),
  ];

  // The item also holds its keys, version, stage and activity day beside the packed body: ~100 bytes.
  it('packs an active customer — three orders, a dozen views, two weeks of product use — under 900 bytes: one write unit', () => {
    expect(pack(applyAll(busy(3, 12, 14))).byteLength).toBeLessThan(900);
  });

  it('keeps the busiest customer in one write unit too, however much more happens', () => {
    const busiest = applyAll(busy(12, 30, 60));
    expect(Object.keys(busiest.interests ?? {})).toHaveLength(8);
    expect(busiest.recentViews).toHaveLength(6);
    const size = pack(busiest).byteLength;
    expect(size).toBeLessThan(900);
    const evenBusier = applyAll([
      ...busy(12, 30, 60),
      ...usageDays(60),
      ...Array.from({ length: 20 }, (_, n) => order(`2026-11-${String(n + 1).padStart(2, '0')}T10:00:00Z`, `o-more-${n}`, [`p-more-${n}`])),
    ]);
    expect(pack(evenBusier).byteLength).toBeLessThan(900);
  });
});
