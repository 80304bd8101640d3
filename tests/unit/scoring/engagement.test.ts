import { describe, expect, it } from 'vitest';
import { engagementScore, isEngagementEvent, recordEngagement, type Engagement, type EngagementEvent } from '#shared/scoring/engagement.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY).toISOString();
const stored = (days: number) => `${at(days).slice(0, 19)}Z`;

const record = (events: readonly [EngagementEvent, number][]): Engagement | undefined =>
  events.reduce<Engagement | undefined>((state, [kind, day]) => recordEngagement(state, kind, at(day)), undefined);

describe('engagement', () => {
  it('counts the events that show interest, and no others', () => {
    expect(isEngagementEvent('email.clicked')).toBe(true);
    expect(isEngagementEvent('support.requested')).toBe(false);
  });

  it('is 0 without activity', () => {
    expect(engagementScore(undefined, at(0))).toBe(0);
  });

  it('is 50 at 10 points', () => {
    const state = record([
      ['order.placed', 0],
      ['email.clicked', 0],
      ['cart.updated', 0],
      ['product.viewed', 0],
    ]);
    // 5 + 2 + 2 + 1 = 10 points
    expect(state).toEqual({ points: 10, at: stored(0) });
    // 100 · 10 / (10 + 10) = 50
    expect(engagementScore(state, at(0))).toBe(50);
  });

  it('halves the points every 7 days', () => {
    const state: Engagement = { points: 10, at: stored(0) };
    // 10 · 0.5 = 5 → 100 · 5 / 15 = 33.3 → 33
    expect(engagementScore(state, at(7))).toBe(33);
    // 10 · 0.25 = 2.5 → 100 · 2.5 / 12.5 = 20
    expect(engagementScore(state, at(14))).toBe(20);
  });

  it('decays points before adding an event, and rounds them to 2 decimals', () => {
    // 1 · 0.5^(1/7) + 1 = 0.90572 + 1 = 1.90572 → 1.91
    expect(
      record([
        ['usage.recorded', 0],
        ['usage.recorded', 1],
      ]),
    ).toEqual({ points: 1.91, at: stored(1) });
  });

  it('decays a late event to the stored time', () => {
    const state: Engagement = { points: 10, at: stored(7) };
    const later = recordEngagement(state, 'email.clicked', at(0));
    // 10 + 2 · 0.5^(7/7) = 11, still at day 7
    expect(later).toEqual({ points: 11, at: stored(7) });
    // 100 · 11 / 21 = 52.4 → 52
    expect(engagementScore(later, at(7))).toBe(52);
  });

  it('does not grow when read before the time of its points', () => {
    // 10 points at day 7, read at day 0: still 10 → 50, not 20 points → 67
    expect(engagementScore({ points: 10, at: stored(7) }, at(0))).toBe(50);
  });

  it('approaches 100 without reaching it', () => {
    // 1000 · 1 point → 100 · 1000 / 1010 = 99.01 → 99
    expect(engagementScore({ points: 1000, at: stored(0) }, at(0))).toBe(99);
  });
});
