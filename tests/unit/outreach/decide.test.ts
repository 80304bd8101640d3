import { describe, expect, it } from 'vitest';
import { marketingPermission } from '#shared/outreach/consent.ts';
import { decide, type DecisionInput } from '#shared/outreach/decide.ts';
import { isCapped, parseFrequencyCap } from '#shared/outreach/frequency-cap.ts';
import { parseQuietHours, quietUntil } from '#shared/outreach/quiet-hours.ts';
import type { SendRequest } from '#shared/outreach/request.ts';
import { newProfile, type EmailConsent, type Profile } from '#shared/profile/profile.ts';

const NOON_SEOUL = Date.parse('2026-11-22T03:00:00Z');
const settings = { consentMode: 'opt-in' as const, quietHours: parseQuietHours('21:00-08:00'), frequencyCap: parseFrequencyCap('3/7'), defaultTimezone: 'UTC' };
const subscribed: EmailConsent = { all: { subscribed: true, at: '2026-11-01T00:00:00Z' }, topics: {} };

function profile(changes: Partial<Profile> = {}): Profile {
  return { ...newProfile('c-1', '2026-11-01T00:00:00Z'), email: 'mina@example.com', timezone: 'Asia/Seoul', consent: { email: subscribed }, ...changes };
}

const marketing: SendRequest = { version: 1, messageKey: 'k', customerId: 'c-1', template: 'welcome', kind: 'marketing', topic: 'offers', variables: {} };
const transactional: SendRequest = { ...marketing, kind: 'transactional', template: 'order-confirmation' };

function input(changes: Partial<DecisionInput> = {}): DecisionInput {
  return { request: marketing, profile: profile(), addressSuppressed: false, marketingSentAt: [], now: NOON_SEOUL, settings, ...changes };
}

describe('deciding whether to send', () => {
  it('sends marketing email to a consenting customer in the day, under the cap', () => {
    expect(decide(input())).toEqual({ action: 'send', to: 'mina@example.com' });
  });

  it('never sends to a customer without an address, or to a suppressed address, whatever the kind', () => {
    expect(decide(input({ profile: profile({ email: undefined }) }))).toEqual({ action: 'skip', reason: 'no-email' });
    expect(decide(input({ profile: undefined }))).toEqual({ action: 'skip', reason: 'no-email' });
    expect(decide(input({ addressSuppressed: true }))).toEqual({ action: 'skip', reason: 'suppressed' });
    expect(decide(input({ request: transactional, addressSuppressed: true }))).toEqual({ action: 'skip', reason: 'suppressed' });
  });

  it('looks once more, minutes later, before giving up on a customer first seen minutes ago', () => {
    const justNow = profile({ firstSeenAt: new Date(NOON_SEOUL - 60_000).toISOString() });
    const recheck = { action: 'recheck', until: new Date(NOON_SEOUL + 2 * 60_000) };
    // Their sign-up, with the address or the consent, may be recorded a moment after this request.
    expect(decide(input({ request: transactional, profile: { ...justNow, email: undefined } }))).toEqual(recheck);
    expect(decide(input({ profile: { ...justNow, consent: { email: { topics: {} } } } }))).toEqual(recheck);
    // Looked at once more: given up.
    expect(decide(input({ request: { ...transactional, rechecked: true }, profile: { ...justNow, email: undefined } }))).toEqual({
      action: 'skip',
      reason: 'no-email',
    });
    // An explicit no is final at once, and an older customer's missing address too.
    const unsubscribed = { email: { all: { subscribed: false, at: '2026-11-21T00:00:00Z' }, topics: {} } };
    expect(decide(input({ profile: { ...justNow, consent: unsubscribed } }))).toEqual({ action: 'skip', reason: 'unsubscribed' });
    expect(
      decide(input({ request: transactional, profile: profile({ email: undefined, firstSeenAt: new Date(NOON_SEOUL - 11 * 60_000).toISOString() }) })),
    ).toEqual({ action: 'skip', reason: 'no-email' });
  });

  it('skips a notice that is no longer news as too old, and sends it while it is', () => {
    const notice = { ...transactional, newsUntil: new Date(NOON_SEOUL - 1).toISOString() };
    expect(decide(input({ request: notice }))).toEqual({ action: 'skip', reason: 'too-old' });
    // Too old, whatever else holds: even for a customer first seen a minute ago.
    expect(decide(input({ request: notice, profile: profile({ email: undefined, firstSeenAt: new Date(NOON_SEOUL - 60_000).toISOString() }) }))).toEqual({
      action: 'skip',
      reason: 'too-old',
    });
    expect(decide(input({ request: { ...notice, newsUntil: new Date(NOON_SEOUL).toISOString() } }))).toEqual({ action: 'send', to: 'mina@example.com' });
  });

  it('sends transactional email without marketing consent, over the cap and at night', () => {
    const night = Date.parse('2026-11-22T14:00:00Z'); // 23:00 in Seoul
    const busy = [1, 2, 3].map((day) => `2026-11-2${day - 1}T00:00:00Z`);
    const unconsented = profile({ consent: { email: { topics: {} } } });
    expect(decide(input({ request: transactional, profile: unconsented, marketingSentAt: busy, now: night }))).toEqual({
      action: 'send',
      to: 'mina@example.com',
    });
  });

  it('skips marketing email without consent, and after an opt-out', () => {
    expect(decide(input({ profile: profile({ consent: { email: { topics: {} } } }) }))).toEqual({ action: 'skip', reason: 'no-consent' });
    const optedOut = profile({ consent: { email: { all: subscribed.all, topics: { offers: { subscribed: false, at: '2026-11-10T00:00:00Z' } } } } });
    expect(decide(input({ profile: optedOut }))).toEqual({ action: 'skip', reason: 'unsubscribed' });
  });

  it("skips marketing email over the frequency cap, or the request's own cap", () => {
    const three = ['2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z', '2026-11-21T12:00:00Z'];
    expect(decide(input({ marketingSentAt: three }))).toEqual({ action: 'skip', reason: 'capped' });
    expect(decide(input({ marketingSentAt: three, request: { ...marketing, frequencyCap: { max: 5, windowDays: 7 } } }))).toMatchObject({ action: 'send' });
  });

  it("defers marketing email in the recipient's quiet hours to when they end", () => {
    const elevenPmSeoul = Date.parse('2026-11-22T14:00:00Z');
    expect(decide(input({ now: elevenPmSeoul }))).toEqual({ action: 'defer', until: new Date('2026-11-22T23:00:00Z') });
  });

  it('uses the deployment time zone when the profile has none', () => {
    const elevenPmUtc = Date.parse('2026-11-22T23:00:00Z');
    expect(decide(input({ now: elevenPmUtc, profile: profile({ timezone: undefined }) }))).toEqual({
      action: 'defer',
      until: new Date('2026-11-23T08:00:00Z'),
    });
  });
});

describe('marketing permission', () => {
  const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T00:00:00Z`;

  it('follows the latest statement, about the topic or about all email', () => {
    expect(marketingPermission({ all: { subscribed: false, at: at(1) }, topics: { offers: { subscribed: true, at: at(2) } } }, 'offers', 'opt-in')).toEqual({
      allowed: true,
    });
    expect(marketingPermission({ all: { subscribed: false, at: at(3) }, topics: { offers: { subscribed: true, at: at(2) } } }, 'offers', 'opt-in')).toEqual({
      allowed: false,
      reason: 'unsubscribed',
    });
    expect(marketingPermission({ all: { subscribed: true, at: at(1) }, topics: { offers: { subscribed: false, at: at(2) } } }, 'newsletter', 'opt-in')).toEqual(
      { allowed: true },
    );
  });

  it('without any statement, sends in opt-out mode only', () => {
    expect(marketingPermission({ topics: {} }, 'offers', 'opt-in')).toEqual({ allowed: false, reason: 'no-consent' });
    expect(marketingPermission({ topics: {} }, 'offers', 'opt-out')).toEqual({ allowed: true });
    expect(marketingPermission({ all: { subscribed: false, at: at(1) }, topics: {} }, 'offers', 'opt-out')).toEqual({ allowed: false, reason: 'unsubscribed' });
  });
});

describe('quiet hours', () => {
  const quiet = parseQuietHours('21:00-08:00');

  it('knows a window that runs past midnight', () => {
    expect(quietUntil(Date.parse('2026-11-22T20:59:00Z'), 'UTC', quiet)).toBeUndefined();
    expect(quietUntil(Date.parse('2026-11-22T21:00:00Z'), 'UTC', quiet)).toEqual(new Date('2026-11-23T08:00:00Z'));
    expect(quietUntil(Date.parse('2026-11-23T07:59:30Z'), 'UTC', quiet)).toEqual(new Date('2026-11-23T08:00:00Z'));
    expect(quietUntil(Date.parse('2026-11-23T08:00:00Z'), 'UTC', quiet)).toBeUndefined();
  });

  it("honours daylight saving time changes in the recipient's zone", () => {
    // Berlin leaves summer time on 25 October 2026: 08:00 is then 07:00 UTC.
    expect(quietUntil(Date.parse('2026-10-24T22:00:00Z'), 'Europe/Berlin', quiet)).toEqual(new Date('2026-10-25T07:00:00Z'));
  });

  it('refuses a malformed window', () => {
    expect(() => parseQuietHours('9pm-8am')).toThrow('quiet hours must look like 21:00-08:00');
  });
});

describe('frequency cap', () => {
  it('counts only sends inside the rolling window', () => {
    const now = Date.parse('2026-11-22T00:00:00Z');
    const cap = parseFrequencyCap('2/7');
    expect(isCapped(['2026-11-14T23:00:00Z', '2026-11-20T00:00:00Z'], now, cap)).toBe(false);
    expect(isCapped(['2026-11-15T01:00:00Z', '2026-11-20T00:00:00Z'], now, cap)).toBe(true);
  });
});
