import { describe, expect, it } from 'vitest';
import { parseEvent } from '#shared/events/parse.ts';
import { newProfile, type Profile } from '#shared/profile/profile.ts';
import { mainCurrency, retainChanges } from '#shared/scoring/retain-scores.ts';

const NOW = new Date('2026-11-22T00:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/** A buyer: `orders` orders, the last `lastDaysAgo` days ago, 30 days apart before that. */
function buyer(id: string, orders: number, lastDaysAgo: number, revenue: number, extra: Partial<Profile> = {}): Profile {
  const days = Array.from({ length: orders }, (_, n) => daysAgo(lastDaysAgo + (orders - 1 - n) * 30).slice(0, 10));
  return {
    ...newProfile(id, daysAgo(400)),
    counters: { events: orders, orders, supportRequests: 0 },
    revenue: { EUR: revenue },
    orderHistory: {
      firstAt: `${days[0]}T00:00:00.000Z`,
      lastAt: daysAgo(lastDaysAgo),
      recentAt: days,
      byCurrency: { EUR: orders },
      products: [],
      lastItems: [],
    },
    ...extra,
  };
}

describe("the retain stage's daily scoring", () => {
  it('finds the main currency by orders', () => {
    const paid = (byCurrency: Record<string, number>) => ({
      orderHistory: { firstAt: NOW.toISOString(), lastAt: NOW.toISOString(), recentAt: [], byCurrency, products: [], lastItems: [] },
    });
    expect(mainCurrency([paid({ EUR: 2, KRW: 1 }), paid({ KRW: 2 })])).toBe('KRW');
    expect(mainCurrency([{}])).toBeUndefined();
  });

  it('scores five buyers into quintiles and segments, and flags the overdue one', () => {
    const base = [
      // Recency ranks (most recent best): a 5, b 4, c 3, d 2, e 1. Frequency: a 5 … e 1. Money: a 5 … e 1.
      buyer('a', 6, 2, 900),
      buyer('b', 5, 10, 700),
      buyer('c', 4, 20, 500),
      buyer('d', 3, 70, 300),
      // Two orders 30 days apart, the last 200 days ago: overdue (200 > 2 × 30).
      buyer('e', 2, 200, 100),
    ];
    const changes = Object.fromEntries(retainChanges(base, NOW).map((change) => [change.customerId, change.attributes]));
    // a: R5, FM (5+5)/2 = 5 → champions. b: R4 FM 4 → champions. c: R3 FM 3 → loyal.
    // d: R2 FM 2 → hibernating. e: R1 FM 1 → lost.
    expect(changes.a).toEqual({ rfm: '555', rfmSegment: 'champions', churnRisk: false, churnReasons: null });
    expect(changes.b).toMatchObject({ rfm: '444', rfmSegment: 'champions' });
    expect(changes.c).toMatchObject({ rfm: '333', rfmSegment: 'loyal' });
    expect(changes.d).toMatchObject({ rfm: '222', rfmSegment: 'hibernating' });
    // d: 70 days since the last order, usual interval 30: overdue too (70 > 60).
    expect(changes.d).toMatchObject({ churnRisk: true, churnReasons: 'overdue' });
    expect(changes.e).toEqual({ rfm: '111', rfmSegment: 'lost', churnRisk: true, churnReasons: 'overdue' });
    // Each change is recorded as a profile.updated event: it must pass the event contract.
    for (const [id, attributes] of Object.entries(changes)) {
      expect(
        parseEvent({
          detailType: 'profile.updated',
          source: 'lifecycle',
          detail: { version: 1, eventId: `retain-${id}`, occurredAt: NOW.toISOString(), customer: { id }, data: { attributes } },
        }).ok,
      ).toBe(true);
    }
  });

  it('says only what changed, and nothing about customers with nothing to say', () => {
    const scored = buyer('a', 1, 2, 50, { attributes: { rfm: '333', rfmSegment: 'loyal', churnRisk: false, churnReasons: null } });
    // Alone in the base, a's quintiles are all 3: the same as stored.
    expect(retainChanges([scored, newProfile('lead', daysAgo(1))], NOW)).toEqual([]);
  });

  it('flags a cancelled subscription even without orders, and clears the flag once renewed', () => {
    const cancelled = { ...newProfile('s', daysAgo(100)), subscription: { plan: 'care-plus', status: 'cancelled' as const, at: daysAgo(3) } };
    expect(retainChanges([cancelled], NOW)).toEqual([{ customerId: 's', attributes: { churnRisk: true, churnReasons: 'cancelled' } }]);
    const renewed = {
      ...cancelled,
      subscription: { plan: 'care-plus', status: 'active' as const, at: daysAgo(1) },
      attributes: { churnRisk: true, churnReasons: 'cancelled' },
    };
    expect(retainChanges([renewed], NOW)).toEqual([{ customerId: 's', attributes: { churnRisk: false, churnReasons: null } }]);
  });
});
