import { describe, expect, it } from 'vitest';
import type { Topic } from '#shared/events/fields.ts';
import { handlePreferences, type ConsentSource, type PreferencesDeps } from '#shared/outreach/preferences.ts';
import { signToken } from '#shared/outreach/unsubscribe-token.ts';
import { newProfile, type Profile } from '#shared/profile/profile.ts';

const SECRET = 'signing-secret';
const NOW = new Date('2026-11-22T12:00:00Z');
const token = (topic: Topic | 'all', expiresAt = NOW.getTime() / 1000 + 3600) => signToken({ customerId: 'c-1', topic, expiresAt }, SECRET);

function setup(initial: Partial<Profile> = {}) {
  const changes: { topic: Topic | undefined; subscribed: boolean }[] = [];
  const sources: ConsentSource[] = [];
  let profile: Profile = {
    ...newProfile('c-1', '2026-11-01T00:00:00Z'),
    consent: { email: { all: { subscribed: true, at: '2026-11-01T00:00:00Z' }, topics: {} } },
    ...initial,
  };
  const deps: PreferencesDeps = {
    clock: () => NOW,
    secrets: async () => [SECRET],
    brandName: 'Oak & Lamp',
    readProfile: async () => profile,
    recordConsent: async (_customerId, topic, subscribed, said) => {
      changes.push({ topic, subscribed });
      sources.push(said);
      const at = new Date(NOW.getTime() + changes.length).toISOString();
      profile = topic
        ? { ...profile, consent: { email: { ...profile.consent.email, topics: { ...profile.consent.email.topics, [topic]: { subscribed, at } } } } }
        : { ...profile, consent: { email: { ...profile.consent.email, all: { subscribed, at } } } };
    },
  };
  return { deps, changes, sources };
}

const post = (form: Record<string, string | string[]>, tokenValue?: string) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const each of [value].flat()) body.append(name, each);
  return { method: 'POST', token: tokenValue, form: body };
};

describe('unsubscribe endpoint', () => {
  it("unsubscribes from the token's topic at once on a one-click POST", async () => {
    const { deps, changes, sources } = setup();
    const response = await handlePreferences(deps, post({ 'List-Unsubscribe': 'One-Click' }, token('offers')));
    expect(response.status).toBe(200);
    expect(changes).toEqual([{ topic: 'offers', subscribed: false }]);
    expect(sources).toEqual([{ via: 'one-click' }]);
  });

  it('unsubscribes from all marketing email with an all-topics token', async () => {
    const { deps, changes } = setup();
    await handlePreferences(deps, post({ 'List-Unsubscribe': 'One-Click' }, token('all')));
    expect(changes).toEqual([{ topic: undefined, subscribed: false }]);
  });

  it('answers 403 and changes nothing for a forged, altered or expired token, or none', async () => {
    const { deps, changes } = setup();
    const forged = signToken({ customerId: 'c-1', topic: 'offers', expiresAt: NOW.getTime() / 1000 + 3600 }, 'not-the-secret');
    const altered = `${token('offers').slice(0, -3)}xyz`;
    const expired = token('offers', NOW.getTime() / 1000 - 1);
    for (const bad of [forged, altered, expired, undefined]) {
      expect((await handlePreferences(deps, post({ 'List-Unsubscribe': 'One-Click' }, bad))).status).toBe(403);
      expect((await handlePreferences(deps, { method: 'GET', token: bad, form: new URLSearchParams() })).status).toBe(403);
    }
    expect(changes).toEqual([]);
  });

  it('shows a preference page with each topic as the customer chose it, and no address', async () => {
    const { deps } = setup({
      email: 'mina@example.com',
      consent: { email: { all: { subscribed: true, at: '2026-11-01T00:00:00Z' }, topics: { offers: { subscribed: false, at: '2026-11-02T00:00:00Z' } } } },
    });
    const page = await handlePreferences(deps, { method: 'GET', token: token('all'), form: new URLSearchParams() });
    expect(page.status).toBe(200);
    expect(page.html).toContain('value="newsletter" checked');
    expect(page.html).toMatch(/value="offers">/);
    expect(page.html).not.toContain('mina@example.com');
  });

  it('saves the choices from the page, recording only what changed', async () => {
    const { deps, changes, sources } = setup();
    const response = await handlePreferences(deps, post({ token: token('all'), action: 'save', topics: ['newsletter', 'surveys'] }));
    expect(response.html).toContain('Your choices are saved.');
    expect(changes).toEqual([
      { topic: 'offers', subscribed: false },
      { topic: 'product-updates', subscribed: false },
    ]);
    // Where they were made, with the version of the page's wording, for the consent ledger.
    expect(sources).toEqual([
      { via: 'preference-page', wordingVersion: 'preference-page/1' },
      { via: 'preference-page', wordingVersion: 'preference-page/1' },
    ]);
  });
});
