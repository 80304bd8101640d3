import { describe, expect, it } from 'vitest';
import { consentsInForce, noticeDueDay } from '#shared/profile/consent-notice-due.ts';
import { newProfile, type EmailConsent, type Profile } from '#shared/profile/profile.ts';

const yes = (at: string) => ({ subscribed: true, at });
const no = (at: string) => ({ subscribed: false, at });

function customer(email: EmailConsent, extra: Partial<Profile> = {}): Profile {
  return { ...newProfile('c-1', '2024-01-01T00:00:00Z'), email: 'mina@example.com', consent: { email }, ...extra };
}

describe('when the consent-status notice is due', () => {
  it('is two years after the consent, to the day', () => {
    expect(noticeDueDay(customer({ topics: { newsletter: yes('2024-11-23T05:00:00Z') } }))).toBe('2026-11-23');
  });

  it('counts from the earliest consent still in force, so no consent goes two years untold', () => {
    const profile = customer({ topics: { newsletter: yes('2024-03-01T00:00:00Z'), offers: yes('2025-06-10T00:00:00Z') } });

    expect(noticeDueDay(profile)).toBe('2026-03-01');
  });

  it('counts from the last notice once one went out', () => {
    const profile = customer({ topics: { newsletter: yes('2024-03-01T00:00:00Z') } }, { consentNoticeAt: '2026-03-01T01:00:00Z' });

    expect(noticeDueDay(profile)).toBe('2028-03-01');
  });

  it('counts from a consent given again after the last notice, when all earlier ones were withdrawn', () => {
    // Notified in 2026, withdrew everything, agreed again in 2027: two years from the new consent.
    const profile = customer({ all: no('2026-05-01T00:00:00Z'), topics: { offers: yes('2027-02-02T00:00:00Z') } }, { consentNoticeAt: '2026-03-01T01:00:00Z' });

    expect(noticeDueDay(profile)).toBe('2029-02-02');
  });

  it('turns 29 February into 1 March', () => {
    expect(noticeDueDay(customer({ all: yes('2024-02-29T12:00:00Z'), topics: {} }))).toBe('2026-03-01');
  });

  it('is never due without consent in force, or without an address', () => {
    expect(noticeDueDay(customer({ topics: {} }))).toBeUndefined();
    // A later no to all marketing email overrides the earlier yes to the newsletter.
    expect(noticeDueDay(customer({ all: no('2024-02-01T00:00:00Z'), topics: { newsletter: yes('2024-01-01T00:00:00Z') } }))).toBeUndefined();
    const { email: _none, ...withoutAddress } = customer({ all: yes('2024-01-01T00:00:00Z'), topics: {} });
    expect(noticeDueDay(withoutAddress)).toBeUndefined();
  });
});

describe('the consents a notice tells of', () => {
  it('names all marketing email once when one statement about all of it decides every topic', () => {
    expect(consentsInForce({ all: yes('2024-01-01T00:00:00Z'), topics: {} })).toEqual([{ topic: 'all', since: '2024-01-01T00:00:00Z' }]);
  });

  it('names each topic with the statement that decides it, leaving out the ones withdrawn', () => {
    const consent = { all: yes('2024-01-01T00:00:00Z'), topics: { offers: no('2024-06-01T00:00:00Z'), newsletter: yes('2025-01-01T00:00:00Z') } };

    expect(consentsInForce(consent)).toEqual([
      { topic: 'newsletter', since: '2025-01-01T00:00:00Z' },
      { topic: 'product-updates', since: '2024-01-01T00:00:00Z' },
      { topic: 'surveys', since: '2024-01-01T00:00:00Z' },
    ]);
  });
});
