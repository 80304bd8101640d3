/** The fixture's Pinpoint templates, translated and rendered by the sender's own renderer. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmailTemplateResponse, translateTemplate } from '#cli/import/pinpoint/index.ts';
import { REPO_ROOT } from '#infra/paths.ts';
import { createRenderer, REPOSITORY_TEMPLATES_DIR } from '#shared/outreach/render.ts';

const templatesDir = mkdtempSync(join(tmpdir(), 'pinpoint-templates-'));
cpSync(join(REPOSITORY_TEMPLATES_DIR, '_layouts'), join(templatesDir, '_layouts'), { recursive: true });

function install(fixture: string): ReturnType<typeof translateTemplate> {
  const source = EmailTemplateResponse.parse(
    Object.values(JSON.parse(readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'pinpoint', 'templates', fixture), 'utf8')))[0],
  );
  const translated = translateTemplate(source, new Set());
  mkdirSync(join(templatesDir, translated.name, 'en'), { recursive: true });
  for (const [file, content] of Object.entries(translated.files)) writeFileSync(join(templatesDir, translated.name, 'en', file), content);
  return translated;
}

const welcome = install('welcome-email.json');
const offer = install('special-offer.json');
const reminder = install('reminder.json');
const renderer = createRenderer({ templatesDir });
const common = {
  brand: { name: 'Oak & Co', url: 'https://shop.example.com' },
  unsubscribeUrl: 'https://shop.example.com/u?token=t',
  preferencesUrl: 'https://shop.example.com/p?token=t',
  customer: {},
  locale: 'ko-KR',
  timezone: 'Asia/Seoul',
};

afterAll(() => rmSync(templatesDir, { recursive: true, force: true }));

describe('Pinpoint email templates as Liquid templates', () => {
  it('renders with the attributes a customer has, inside the shared frame with its unsubscribe link', async () => {
    const result = await renderer.render({
      template: 'welcome-email',
      locale: 'en',
      variables: { ...common, attributes: { FirstName: 'Mina', plan: 'gold' }, customerLocale: 'ko-KR' },
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.email.subject).toBe('Welcome, Mina!');
    expect(result.email.html).toContain('<h1>Welcome, Mina</h1><p>Your plan: Gold.</p><p>We write to you in ko-KR.</p>');
    expect(result.email.html).toContain('https://shop.example.com/u?token=t');
    expect(result.email.text).toContain('Welcome, Mina!\nYour plan: gold.');
  });

  it('renders the default substitution, or nothing, for what a customer lacks, as Pinpoint did', async () => {
    const greeted = await renderer.render({ template: 'welcome-email', locale: 'en', variables: { ...common, attributes: {}, customerLocale: 'en-GB' } });
    const offered = await renderer.render({ template: 'special-offer', locale: 'en', variables: { ...common, attributes: {} } });

    expect(greeted.ok && greeted.email.subject).toBe('Welcome, friend!');
    expect(greeted.ok && greeted.email.html).toContain('<p>Pick a plan any time.</p>');
    expect(offered.ok && offered.email.subject).toBe('An offer for');
    expect(offered.ok && offered.email.html).toContain('<p>Tell us what you like.</p>');
  });

  it('escapes attribute values in HTML, as every value here', async () => {
    const result = await renderer.render({
      template: 'special-offer',
      locale: 'en',
      variables: { ...common, attributes: { FirstName: '<b>Mina</b>', interests: 'tea', city: 'Seoul' } },
    });

    expect(result.ok && result.email.html).toContain('Hello &lt;b&gt;Mina&lt;/b&gt;,</p><p>This week only: 15% off TEA.</p>');
  });

  it('makes a text part from the HTML when Pinpoint had none, and says what the send step must read from the profile', async () => {
    const result = await renderer.render({ template: 'reminder', locale: 'en', variables: { ...common, attributes: { purchases: 3 } } });

    expect(result.ok && result.email.text).toContain('You have 3 orders with us. Your offer is waiting.\nSee the offer (https://shop.example.com/offer)');
    expect([welcome.fromProfile, offer.fromProfile, reminder.fromProfile]).toEqual([
      { attributes: 'attributes', customerLocale: 'locale' },
      { attributes: 'attributes' },
      { attributes: 'attributes' },
    ]);
    expect([welcome, offer, reminder].map((each) => each.blocked)).toEqual([false, false, false]);
  });
});
