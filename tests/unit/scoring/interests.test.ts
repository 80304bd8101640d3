import { describe, expect, it } from 'vitest';
import { pack } from '#shared/profile/packing.ts';
import { INTEREST_WEIGHTS, MAX_INTERESTS, addInterest, addInterestSignal, affinities, type Interests } from '#shared/scoring/interests.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY).toISOString();
/** How `at` is stored: UTC, to the second. */
const stored = (days: number) => `${at(days).slice(0, 19)}Z`;

describe('adding interest', () => {
  it('weighs each kind of signal', () => {
    expect(INTEREST_WEIGHTS).toEqual({ 'product.viewed': 1, 'content.viewed': 0.5, 'cart.updated': 2, 'order.placed': 3 });
  });

  it('starts a category at the weight of its first signal', () => {
    expect(addInterestSignal({}, 'shoes', 'cart.updated', at(0))).toEqual({ shoes: { score: 2, at: stored(0) } });
  });

  it('keeps categories named like the members of every object', () => {
    let interests: Interests = {};
    for (const category of ['__proto__', 'constructor', 'toString']) interests = addInterestSignal(interests, category, 'product.viewed', at(0));
    expect(Object.keys(interests).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(affinities(interests, at(0)).map((affinity) => affinity.score)).toEqual([1, 1, 1]);
  });

  it('halves the score over 14 days before adding', () => {
    let interests = addInterestSignal({}, 'shoes', 'product.viewed', at(0));
    interests = addInterestSignal(interests, 'shoes', 'cart.updated', at(14));
    // 1 · 0.5^(14/14) + 2 = 0.5 + 2 = 2.5, now valid at day 14
    expect(interests).toEqual({ shoes: { score: 2.5, at: stored(14) } });
  });

  it('rounds stored scores to 2 decimals', () => {
    let interests = addInterest({}, 'shoes', 1, at(0));
    interests = addInterest(interests, 'shoes', 1, at(7));
    // 1 · 0.5^(7/14) + 1 = 0.70711 + 1 = 1.70711 → 1.71
    expect(interests.shoes?.score).toBe(1.71);
  });

  it('decays a late signal to the stored time instead of inflating it', () => {
    const interests: Interests = { shoes: { score: 2, at: stored(14) } };
    // An order two weeks older than the stored time: 3 · 0.5^(14/14) = 1.5 → 2 + 1.5 = 3.5, still at day 14
    expect(addInterestSignal(interests, 'shoes', 'order.placed', at(0))).toEqual({ shoes: { score: 3.5, at: stored(14) } });
    // Seven days older: 2 + 1 · 0.5^(7/14) = 2 + 0.70711 = 2.70711 → 2.71, less than the 2 + 1 it would be if fresh
    expect(addInterest(interests, 'shoes', 1, at(7))).toEqual({ shoes: { score: 2.71, at: stored(14) } });
  });

  it('comes to the same score whatever order the signals arrive in', () => {
    const inOrder = addInterest(addInterest({}, 'hats', 2, at(0)), 'hats', 2, at(14));
    const reversed = addInterest(addInterest({}, 'hats', 2, at(14)), 'hats', 2, at(0));
    // in order: 2 · 0.5 + 2 = 3; reversed: 2 + 2 · 0.5 = 3
    expect(inOrder).toEqual({ hats: { score: 3, at: stored(14) } });
    expect(reversed).toEqual(inOrder);
  });

  it('ignores a blank category and weights that are not positive', () => {
    const interests: Interests = { shoes: { score: 1, at: stored(0) } };
    expect(addInterest(interests, '  ', 1, at(1))).toBe(interests);
    expect(addInterest(interests, 'shoes', 0, at(1))).toBe(interests);
    expect(addInterest(interests, 'shoes', -1, at(1))).toBe(interests);
    expect(addInterest(interests, 'shoes', Number.NaN, at(1))).toBe(interests);
  });

  it('cuts category names to 40 characters', () => {
    const long = 'a'.repeat(45);
    expect(Object.keys(addInterest({}, long, 1, at(0)))).toEqual(['a'.repeat(40)]);
  });

  it('keeps at most 8 categories, dropping the weakest after decay', () => {
    // Stored first with the largest stored score, 1.5 at day 0 — but at day 14 it is worth 1.5 · 0.5 = 0.75.
    let interests = addInterest({}, 'old', 1.5, at(0));
    for (const category of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) interests = addInterest(interests, category, 1, at(14));
    // Nine categories: a–h at 1 beat old at 0.75.
    expect(MAX_INTERESTS).toBe(8);
    expect(Object.keys(interests).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('drops a new category at once when it is the weakest, and breaks ties by name', () => {
    let interests: Interests = {};
    for (const category of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) interests = addInterest(interests, category, 2, at(0));
    // 'late' weighs 3 but happened 28 days before: 3 · 0.5^(28/14) = 0.75 < 2
    expect(Object.keys(addInterest(interests, 'late', 3, at(-28))).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    // 'i' ties with everyone at 2; by name, 'i' comes last and goes
    expect(Object.keys(addInterest(interests, 'i', 2, at(0))).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('stays small when full', () => {
    let interests: Interests = {};
    const names = ['running-shoes', 'trail-running', 'outdoor-jackets', 'camping-gear', 'water-bottles', 'yoga-mats', 'cycling-helmets', 'swimwear'];
    names.forEach((name, index) => {
      interests = addInterest(interests, name, 1 + index / 3, T0 + index * 37_000_000);
    });
    expect(Object.keys(interests)).toHaveLength(8);
    expect(pack(interests).length).toBeLessThan(250);
  });
});

describe('affinities', () => {
  const interests: Interests = {
    shoes: { score: 2.5, at: stored(14) },
    hats: { score: 4, at: stored(0) },
    socks: { score: 1.25, at: stored(28) },
  };

  it('decays every category to now and sorts the strongest first', () => {
    // at day 28: shoes 2.5 · 0.5^(14/14) = 1.25; hats 4 · 0.5^(28/14) = 1; socks 1.25 · 0.5^0 = 1.25
    // shoes and socks tie at 1.25: by name, shoes first
    expect(affinities(interests, at(28))).toEqual([
      { category: 'shoes', score: 1.25 },
      { category: 'socks', score: 1.25 },
      { category: 'hats', score: 1 },
    ]);
  });

  it('never inflates a score read before its own time', () => {
    // at day 14, socks (stored at day 28) stays 1.25 rather than 1.25 · 2 = 2.5; hats 4 · 0.5 = 2
    expect(affinities(interests, at(14))).toEqual([
      { category: 'shoes', score: 2.5 },
      { category: 'hats', score: 2 },
      { category: 'socks', score: 1.25 },
    ]);
  });

  it('leaves out what has decayed to nothing', () => {
    // 1 · 0.5^(140/14) = 1/1024 = 0.00098 → 0.00
    expect(affinities({ old: { score: 1, at: stored(0) } }, at(140))).toEqual([]);
  });
});
