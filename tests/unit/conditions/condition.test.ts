import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  Condition,
  describe as describeCondition,
  eventConditionPaths,
  evaluate,
  formatIssues,
  requiredStages,
  usesEvents,
  type ConditionContext,
} from '#shared/conditions/condition.ts';
import { newProfile, type Profile } from '#shared/profile/profile.ts';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (days: number, extraMs = 0) => new Date(NOW - days * DAY - extraMs).toISOString();

/** A retained Korean customer with three orders, a gold plan and two tags. */
function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    ...newProfile('c-1', daysAgo(400)),
    stage: 'retain',
    locale: 'ko-KR',
    attributes: { plan: 'gold', seats: 5, trial: false, referrer: null, tags: 'vip, early-adopter' },
    counters: { events: 12, orders: 3, supportRequests: 1 },
    scores: { engagement: 40 },
    revenue: { EUR: 250 },
    lastActivityAt: daysAgo(10),
    ...overrides,
  };
}

const context = (overrides: Partial<ConditionContext> = {}): ConditionContext => ({ profile: profile(), now: NOW, consentMode: 'opt-in', ...overrides });
const check = (condition: Condition, overrides: Partial<ConditionContext> = {}) => evaluate(condition, context(overrides));

/** The problems zod finds in a condition written as data, as the CLI would print them. */
function problems(input: unknown): string[] {
  const parsed = Condition.safeParse(input);
  return parsed.success ? [] : formatIssues(parsed.error.issues);
}

describe('evaluating each form', () => {
  it.each<[string, Condition, boolean]>([
    ['stage: the profile’s stage', { stage: 'retain' }, true],
    ['stage: another stage', { stage: 'use' }, false],
    ['stage: a list holding it', { stage: ['use', 'retain'] }, true],
    ['stage: a list without it', { stage: ['buy', 'use'] }, false],
    ['attribute equals: same value', { attribute: 'plan', equals: 'gold' }, true],
    ['attribute equals: other value', { attribute: 'plan', equals: 'silver' }, false],
    ['attribute equals: a number is not its string', { attribute: 'seats', equals: '5' }, false],
    ['attribute equals: false is a value', { attribute: 'trial', equals: false }, true],
    ['attribute notEquals: other value', { attribute: 'plan', notEquals: 'silver' }, true],
    ['attribute notEquals: same value', { attribute: 'plan', notEquals: 'gold' }, false],
    ['attribute notEquals: missing attribute', { attribute: 'region', notEquals: 'eu' }, true],
    ['attribute in: listed', { attribute: 'plan', in: ['silver', 'gold'] }, true],
    ['attribute in: not listed', { attribute: 'plan', in: ['silver', 'bronze'] }, false],
    ['attribute exists: present', { attribute: 'plan', exists: true }, true],
    ['attribute exists: false is present', { attribute: 'trial', exists: true }, true],
    ['attribute exists: null is absent', { attribute: 'referrer', exists: true }, false],
    ['attribute exists false: missing', { attribute: 'region', exists: false }, true],
    ['attribute exists false: present', { attribute: 'plan', exists: false }, false],
    ['attribute gte: number at the bound', { attribute: 'seats', gte: 5 }, true],
    ['attribute gt: number at the bound', { attribute: 'seats', gt: 5 }, false],
    ['attribute lt: a string never compares', { attribute: 'plan', lt: 100 }, false],
    ['attribute contains: substring', { attribute: 'plan', contains: 'ol' }, true],
    ['attribute contains: case matters', { attribute: 'plan', contains: 'GOLD' }, false],
    ['attribute contains: not a string', { attribute: 'seats', contains: '5' }, false],
    ['counter equals', { counter: 'orders', equals: 3 }, true],
    ['counter gte at the bound', { counter: 'orders', gte: 3 }, true],
    ['counter gt at the bound', { counter: 'orders', gt: 3 }, false],
    ['counter lte', { counter: 'supportRequests', lte: 1 }, true],
    ['counter lt at the bound', { counter: 'supportRequests', lt: 1 }, false],
    ['counter events', { counter: 'events', gt: 10 }, true],
    ['score above', { score: 'engagement', gt: 30 }, true],
    ['score below', { score: 'engagement', lt: 30 }, false],
    ['score absent counts as 0', { score: 'loyalty', equals: 0 }, true],
    ['score absent is not above 0', { score: 'loyalty', gt: 0 }, false],
    ['revenue at the bound', { revenue: 'EUR', gte: 250 }, true],
    ['revenue above the bound', { revenue: 'EUR', gt: 250 }, false],
    ['revenue in an absent currency is 0', { revenue: 'USD', lt: 1 }, true],
    ['revenue in an absent currency is not positive', { revenue: 'USD', gt: 0 }, false],
    ['lastActive within', { lastActive: { withinDays: 30 } }, true],
    ['lastActive older than', { lastActive: { olderThanDays: 30 } }, false],
    ['firstSeen older than', { firstSeen: { olderThanDays: 365 } }, true],
    ['firstSeen within', { firstSeen: { withinDays: 7 } }, false],
    ['locale: the language', { locale: 'ko' }, true],
    ['locale: the exact tag', { locale: 'ko-KR' }, true],
    ['locale: another region', { locale: 'ko-KP' }, false],
    ['locale: any case', { locale: 'KO' }, true],
    ['locale: another language', { locale: 'en' }, false],
    ['locale: a list holding the language', { locale: ['en', 'ko'] }, true],
    ['tag: in the comma-separated string', { tag: 'early-adopter' }, true],
    ['tag: the first one, trimmed', { tag: 'vip' }, true],
    ['tag: a part of a tag is not a tag', { tag: 'early' }, false],
  ])('%s', (_name, condition, expected) => {
    expect(check(condition)).toBe(expected);
  });

  it('does not take a language for a prefix of another one (ko is not kok)', () => {
    expect(check({ locale: 'ko' }, { profile: profile({ locale: 'kok-IN' }) })).toBe(false);
  });

  it('never matches a locale the profile does not have', () => {
    const { locale: _locale, ...withoutLocale } = profile();
    expect(check({ locale: ['ko', 'en'] }, { profile: withoutLocale })).toBe(false);
  });

  it('reads tags from a list attribute too', () => {
    // Attributes are scalars when events set them; imported or older profiles may hold a list.
    const tagged = profile({ attributes: { tags: ['vip', ' beta '] } as unknown as Profile['attributes'] });
    expect(check({ tag: 'beta' }, { profile: tagged })).toBe(true);
    expect(check({ tag: 'early-adopter' }, { profile: tagged })).toBe(false);
    expect(check({ tag: 'vip' }, { profile: profile({ attributes: {} }) })).toBe(false);
  });
});

describe('time windows', () => {
  it('counts exactly n days ago as within n days, not older than n days', () => {
    const atBoundary = profile({ lastActivityAt: daysAgo(30) });
    expect(check({ lastActive: { withinDays: 30 } }, { profile: atBoundary })).toBe(true);
    expect(check({ lastActive: { olderThanDays: 30 } }, { profile: atBoundary })).toBe(false);
  });

  it('counts a millisecond past n days as older than n days', () => {
    const pastBoundary = profile({ lastActivityAt: daysAgo(30, 1) });
    expect(check({ lastActive: { withinDays: 30 } }, { profile: pastBoundary })).toBe(false);
    expect(check({ lastActive: { olderThanDays: 30 } }, { profile: pastBoundary })).toBe(true);
  });

  it('measures back from the context’s now, not the clock', () => {
    const later = NOW + 25 * DAY;
    expect(check({ lastActive: { withinDays: 30 } }, { now: later })).toBe(false);
    expect(check({ firstSeen: { withinDays: 7 } }, { profile: profile({ firstSeenAt: daysAgo(6) }) })).toBe(true);
  });
});

describe('consent', () => {
  const at = (days: number) => daysAgo(days);

  it('in opt-in mode needs a yes: no statement means no', () => {
    expect(check({ consent: 'offers' }, { consentMode: 'opt-in' })).toBe(false);
    expect(check({ consent: 'any' }, { consentMode: 'opt-in' })).toBe(false);
  });

  it('in opt-out mode allows marketing until the customer says no', () => {
    expect(check({ consent: 'offers' }, { consentMode: 'opt-out' })).toBe(true);
    const unsubscribed = profile({ consent: { email: { all: { subscribed: false, at: at(1) }, topics: {} } } });
    expect(check({ consent: 'offers' }, { consentMode: 'opt-out', profile: unsubscribed })).toBe(false);
    expect(check({ consent: 'any' }, { consentMode: 'opt-out', profile: unsubscribed })).toBe(false);
  });

  it('follows the latest statement about the topic or about all email', () => {
    const topicYesAfterAllNo = profile({ consent: { email: { all: { subscribed: false, at: at(5) }, topics: { offers: { subscribed: true, at: at(1) } } } } });
    expect(check({ consent: 'offers' }, { profile: topicYesAfterAllNo })).toBe(true);
    expect(check({ consent: 'newsletter' }, { profile: topicYesAfterAllNo })).toBe(false);
  });

  it('any: true when at least one topic is allowed', () => {
    const surveysOnly = profile({ consent: { email: { topics: { surveys: { subscribed: true, at: at(1) } } } } });
    expect(check({ consent: 'any' }, { profile: surveysOnly })).toBe(true);
    expect(check({ consent: 'offers' }, { profile: surveysOnly })).toBe(false);
  });
});

describe('event (journeys only)', () => {
  const events = [{ detailType: 'order.placed' }, { detailType: 'product.viewed' }, { detailType: 'order.placed' }];

  it('is false without journey context, so its negation is true', () => {
    expect(check({ event: 'order.placed' })).toBe(false);
    expect(check({ not: { event: 'order.placed' } })).toBe(true);
  });

  it('needs one such event since entry, or the count asked for', () => {
    expect(check({ event: 'order.placed' }, { eventsSinceEntry: events })).toBe(true);
    expect(check({ event: 'order.delivered' }, { eventsSinceEntry: events })).toBe(false);
    expect(check({ event: 'order.placed', count: { gte: 2 } }, { eventsSinceEntry: events })).toBe(true);
    expect(check({ event: 'order.placed', count: { gt: 2 } }, { eventsSinceEntry: events })).toBe(false);
    expect(check({ event: 'order.placed' }, { eventsSinceEntry: [] })).toBe(false);
  });
});

describe('combining conditions', () => {
  const yes: Condition = { stage: 'retain' };
  const no: Condition = { stage: 'use' };

  it('all: every part must hold', () => {
    expect(check({ all: [yes, { counter: 'orders', gte: 2 }] })).toBe(true);
    expect(check({ all: [yes, no] })).toBe(false);
  });

  it('any: one part is enough', () => {
    expect(check({ any: [no, yes] })).toBe(true);
    expect(check({ any: [no, { tag: 'nobody' }] })).toBe(false);
  });

  it('not: the opposite', () => {
    expect(check({ not: yes })).toBe(false);
    expect(check({ not: no })).toBe(true);
  });

  it('nests', () => {
    const atRiskGold: Condition = {
      all: [{ any: [{ stage: 'use' }, { stage: 'retain' }] }, { not: { lastActive: { withinDays: 7 } } }, { attribute: 'plan', equals: 'gold' }],
    };
    expect(check(atRiskGold)).toBe(true);
    expect(check(atRiskGold, { profile: profile({ lastActivityAt: daysAgo(2) }) })).toBe(false);
    expect(check(atRiskGold, { profile: profile({ stage: 'buy' }) })).toBe(false);
  });
});

describe('validation', () => {
  it('accepts a condition written in YAML', () => {
    const yaml = parseYaml(`
all:
  - stage: [use, retain]
  - counter: orders
    gte: 2
  - any:
      - tag: vip
      - attribute: plan
        in: [gold, platinum]
  - not:
      lastActive: { withinDays: 14 }
`);
    const parsed = Condition.parse(yaml);
    expect(parsed).toEqual(yaml);
    expect(evaluate(parsed, context({ profile: profile({ lastActivityAt: daysAgo(20) }) }))).toBe(true);
  });

  it('names an unknown key, where it is, and the keys the form takes', () => {
    expect(problems({ all: [{ stage: 'use' }, { counter: 'orders', gte: 2, colour: 'red' }] })).toEqual([
      'all[1]: unknown key "colour" in a counter condition (it takes counter, gt, gte, lt, lte, equals)',
    ]);
  });

  it('refuses two comparisons in one condition', () => {
    expect(problems({ any: [{ counter: 'orders', gte: 2, lt: 5 }] })).toEqual([
      'any[0]: has 2 comparisons (gte, lt); use exactly one (combine conditions with all for a range)',
    ]);
  });

  it('refuses a comparison-less condition that needs one', () => {
    expect(problems({ score: 'engagement' })).toEqual(['needs one comparison: gt, gte, lt, lte or equals']);
    expect(problems({ attribute: 'plan' })).toEqual(['needs one comparison: equals, notEquals, in, exists, gt, gte, lt, lte or contains']);
    expect(problems({ lastActive: {} })).toEqual(['lastActive: needs one time window: withinDays or olderThanDays']);
  });

  it('names the counters when the counter is unknown', () => {
    expect(problems({ all: [{ stage: 'use' }, { counter: 'order', gte: 2 }] })).toEqual(['all[1].counter: must be one of events, orders, supportRequests']);
  });

  it('names the stages when a stage is unknown, alone or in a list', () => {
    const message = 'must be one of discover, research, buy, use, support, retain';
    expect(problems({ not: { stage: 'churned' } })).toEqual([`not.stage: ${message}`]);
    expect(problems({ stage: ['use', 'churned'] })).toEqual([`stage[1]: ${message}`]);
    expect(problems({ stage: [] })).toEqual(['stage: must list at least one value']);
  });

  it('refuses two forms in one object, and objects of no form', () => {
    expect(problems({ stage: 'use', counter: 'orders', gte: 1 })).toEqual(['has 2 forms (stage, counter); write each as its own condition inside all or any']);
    expect(problems({ all: [{ gte: 1 }] })).toEqual([expect.stringMatching(/^all\[0\]: must have one of the keys all, any, not, .* \(found gte\)$/)]);
    expect(problems({ all: ['retain'] })).toEqual([expect.stringMatching(/^all\[0\]: must be a condition: an object with one of /)]);
  });

  it('checks the values of each form', () => {
    expect(problems({ all: [] })).toEqual(['all: must list at least one condition']);
    expect(problems({ consent: 'offer' })).toEqual(['consent: must be one of newsletter, offers, product-updates, surveys, any']);
    expect(problems({ revenue: 'eur', gt: 1 })).toEqual(['revenue: must be an ISO 4217 currency code such as EUR']);
    expect(problems({ revenue: 'EUR', equals: 1 })).toEqual(['unknown key "equals" in a revenue condition (it takes revenue, gt, gte, lt, lte)']);
    expect(problems({ event: 'order.placd' })).toEqual([expect.stringMatching(/^event: must be a detail-type of the catalog/)]);
    expect(problems({ lastActive: { withinDays: 1.5 } })).toEqual(['lastActive.withinDays: must be a whole number of days']);
    expect(problems({ attribute: 'plan type', equals: 'gold' })).toEqual(['attribute: must be 1-64 letters, digits or _ starting with a letter']);
    expect(problems({ locale: 'korean language' })).toEqual(['locale: must be a BCP 47 language tag such as ko-KR']);
    expect(problems({ tag: 'vip,gold' })).toEqual(['tag: must not contain a comma']);
  });

  it('reports every problem of a condition, each at its path', () => {
    expect(problems({ all: [{ stage: 'x' }, { any: [{ tag: '' }, { counter: 'orders' }] }] })).toEqual([
      'all[0].stage: must be one of discover, research, buy, use, support, retain',
      'all[1].any[0].tag: must not be empty',
      'all[1].any[1]: needs one comparison: gt, gte, lt, lte or equals',
    ]);
  });
});

describe('requiredStages', () => {
  it('is the stages of a stage condition, in stage order, without repeats', () => {
    expect(requiredStages({ stage: 'retain' })).toEqual(['retain']);
    expect(requiredStages({ stage: ['retain', 'use', 'retain'] })).toEqual(['use', 'retain']);
  });

  it('carries a stage inside all', () => {
    expect(requiredStages({ all: [{ counter: 'orders', gte: 2 }, { stage: ['use', 'retain'] }] })).toEqual(['use', 'retain']);
    expect(requiredStages({ all: [{ all: [{ tag: 'vip' }, { stage: 'buy' }] }] })).toEqual(['buy']);
  });

  it('intersects several stage conditions inside all', () => {
    expect(requiredStages({ all: [{ stage: ['use', 'retain'] }, { stage: ['buy', 'retain'] }] })).toEqual(['retain']);
    expect(requiredStages({ all: [{ stage: 'use' }, { stage: 'buy' }] })).toEqual([]);
  });

  it('is undefined when any stage could match', () => {
    expect(requiredStages({ counter: 'orders', gte: 2 })).toBeUndefined();
    expect(requiredStages({ all: [{ tag: 'vip' }, { counter: 'orders', gte: 2 }] })).toBeUndefined();
    expect(requiredStages({ any: [{ stage: 'retain' }, { tag: 'vip' }] })).toBeUndefined();
    expect(requiredStages({ not: { stage: 'support' } })).toBeUndefined();
  });

  it('is the union when every alternative of any restricts', () => {
    expect(requiredStages({ any: [{ stage: 'retain' }, { all: [{ stage: 'use' }, { tag: 'vip' }] }] })).toEqual(['use', 'retain']);
  });
});

describe('usesEvents', () => {
  it('finds event conditions at any depth, and where they are', () => {
    const nested: Condition = { all: [{ stage: 'buy' }, { any: [{ tag: 'vip' }, { not: { event: 'order.delivered' } }] }] };
    expect(usesEvents(nested)).toBe(true);
    expect(eventConditionPaths(nested)).toEqual([['all', 1, 'any', 1, 'not', 'event']]);
    expect(usesEvents({ event: 'order.placed', count: { gte: 2 } })).toBe(true);
  });

  it('is false for profile-only conditions', () => {
    expect(usesEvents({ all: [{ stage: 'buy' }, { not: { tag: 'vip' } }, { any: [{ consent: 'any' }] }] })).toBe(false);
  });
});

describe('describe', () => {
  it('writes one line', () => {
    expect(describeCondition({ all: [{ stage: 'retain' }, { counter: 'orders', gte: 2 }] })).toBe('stage in [retain] and orders >= 2');
  });

  it('brackets combined parts so precedence is plain', () => {
    expect(
      describeCondition({
        all: [{ any: [{ tag: 'vip' }, { score: 'engagement', gt: 50 }] }, { not: { all: [{ locale: ['ko', 'en'] }, { consent: 'any' }] } }],
      }),
    ).toBe('(tagged vip or score engagement > 50) and not (locale in [ko, en] and consents to any topic)');
  });

  it('describes each comparison', () => {
    expect(describeCondition({ attribute: 'plan', in: ['gold', 5] })).toBe('attribute plan in ["gold", 5]');
    expect(describeCondition({ attribute: 'plan', exists: false })).toBe('attribute plan does not exist');
    expect(describeCondition({ attribute: 'seats', lte: 3 })).toBe('attribute seats <= 3');
    expect(describeCondition({ revenue: 'EUR', lt: 100 })).toBe('revenue EUR < 100');
    expect(describeCondition({ lastActive: { olderThanDays: 60 } })).toBe('last active more than 60 days ago');
    expect(describeCondition({ firstSeen: { withinDays: 7 } })).toBe('first seen within 7 days');
    expect(describeCondition({ event: 'order.placed', count: { gte: 2 } })).toBe('event order.placed >= 2 times since entry');
  });
});
