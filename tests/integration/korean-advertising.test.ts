/**
 * Korean advertising email (정보통신망법 Article 50), as the sender sends it: every template,
 * rendered in Korean through the real sender, renderer and templates (against a local DynamoDB).
 * Which templates are advertising is written out here by hand, and what the law asks for is
 * looked for as literal text: nothing is taken from the code under test.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '#local/dynamodb/tables.ts';
import { parseFrequencyCap } from '#shared/outreach/frequency-cap.ts';
import { parseQuietHours } from '#shared/outreach/quiet-hours.ts';
import { REPOSITORY_TEMPLATES_DIR, createRenderer } from '#shared/outreach/render.ts';
import { sendEmail, type OutgoingEmail, type SenderDeps } from '#shared/outreach/send-email.ts';
import { newProfile } from '#shared/profile/profile.ts';
import { putProfile } from '#shared/profile/store.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { defaultStack } from '#tests/support/stack.ts';

let dynamo: LocalDynamo;
let store: { ddb: LocalDynamo['ddb']; tableName: string };
const scratch: string[] = [];

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
  store = { ddb: dynamo.ddb, tableName: dynamo.tableNames[0] ?? '' };
});

afterAll(async () => {
  await dynamo.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const ADVERTISER = { name: '주식회사 오크앤램프', contact: '서울특별시 중구 세종대로 110 · 02-123-4567 · help@oak.example' };

const cart = { cartId: 'cart-1', items: [{ productId: 'p-1', name: '원목 의자', quantity: 1, price: 89.5 }], total: 89.5, currency: 'KRW' };
const offer = { code: 'HELLO15', percent: 15, expiresAt: '2026-12-06' };
const order = { orderId: 'o-1', items: cart.items, total: 89.5, currency: 'KRW' };
const surveyLinks = [1, 2, 3, 4, 5].map((score) => ({ score, url: `https://surveys.example.com/s?score=${score}` }));

/** Every template in the repository, whether it advertises, and what it needs to render. */
const TEMPLATES: Record<
  string,
  { readonly advertising: boolean; readonly variables: Record<string, unknown>; readonly personalize?: { readonly preferencesLink: true } }
> = {
  welcome: { advertising: true, variables: {} },
  'welcome-tips': { advertising: true, variables: {} },
  'welcome-offer': { advertising: true, variables: { offer } },
  'cart-reminder': { advertising: true, variables: { cart } },
  'cart-last-call': { advertising: true, variables: { cart } },
  'browse-abandon': { advertising: true, variables: { product: { productId: 'p-1' } } },
  'win-back-offer': { advertising: true, variables: { offer } },
  'win-back-reminder': { advertising: true, variables: { offer } },
  'onboarding-nudge': { advertising: true, variables: { product: { productId: 'p-1' } } },
  'loyalty-thanks': { advertising: true, variables: { loyalty: { tier: 'gold' } } },
  'order-confirmation': { advertising: false, variables: { order } },
  'shipping-notice': { advertising: false, variables: { order: { orderId: 'o-1' } } },
  'delay-notice': { advertising: false, variables: { order: { orderId: 'o-1' }, delay: { newEstimatedDelivery: '2026-11-30' } } },
  'payment-recovery': { advertising: false, variables: { retryUrl: 'https://shop.example.com/retry' } },
  'support-reply': { advertising: false, variables: { request: { requestId: 'r-1' }, answer: { title: '배송 안내', body: '내일 도착합니다.' } } },
  'support-acknowledgement': { advertising: false, variables: { request: { requestId: 'r-1' }, sla: { dueAt: '2026-11-23T03:00:00Z' } } },
  'csat-survey': { advertising: false, variables: { request: { requestId: 'r-1' }, surveyLinks } },
  'consent-notice': {
    advertising: false,
    variables: { consents: [{ topic: 'newsletter', since: '2024-11-22T03:00:00.000Z' }] },
    personalize: { preferencesLink: true },
  },
};

let customers = 0;

/** Sends one email to a new customer who agreed to everything, at noon in Seoul, and returns it. */
async function sendAs(template: string, advertising: boolean, locale: string, templatesDir = REPOSITORY_TEMPLATES_DIR): Promise<OutgoingEmail> {
  const customerId = `c-ko-${++customers}`;
  const profile = {
    ...newProfile(customerId, '2026-11-01T00:00:00.000Z'),
    version: 1,
    email: `${customerId}@example.com`,
    locale,
    timezone: 'Asia/Seoul',
    consent: { email: { all: { subscribed: true, at: '2026-11-01T00:00:00Z' }, topics: {} } },
  };
  await putProfile(store, profile);
  const sent: OutgoingEmail[] = [];
  const deps: SenderDeps = {
    ...store,
    clock: () => new Date('2026-11-22T03:00:00Z'),
    settings: {
      fromAddress: 'shop@example.com',
      configurationSet: 'outreach',
      unsubscribeUrl: 'https://unsubscribe.example.com/',
      brand: { name: '오크앤램프', url: 'https://shop.example.com' },
      advertiser: ADVERTISER,
      consentMode: 'opt-in',
      quietHours: parseQuietHours('21:00-08:00'),
      frequencyCap: parseFrequencyCap('3/7'),
      defaultTimezone: 'UTC',
    },
    renderer: createRenderer({ templatesDir }),
    sendEmail: async (email) => {
      sent.push(email);
      return `ses-${customers}`;
    },
    unsubscribeSecret: async () => 'secret',
    deferUntil: async () => {},
    announce: async () => {},
  };
  const kind = advertising ? 'marketing' : 'transactional';
  const outcome = await sendEmail(deps, {
    version: 1,
    messageKey: `k-${customerId}`,
    customerId,
    template,
    kind,
    ...(advertising && { topic: 'offers' as const }),
    variables: TEMPLATES[template]?.variables ?? {},
    ...(TEMPLATES[template]?.personalize && { personalize: TEMPLATES[template].personalize }),
  });
  expect(outcome, `${template} in ${locale}`).toMatchObject({ status: 'sent' });
  const [email] = sent;
  if (!email) throw new Error(`${template} was not sent`);
  return email;
}

const unsubscribeLinkOf = (email: OutgoingEmail): string => email.headers.find((header) => header.name === 'List-Unsubscribe')?.value.slice(1, -1) ?? '';

function expectAdvertisingMarks(email: OutgoingEmail): void {
  expect(email.subject.startsWith('(광고) ')).toBe(true);
  expect(email.subject.split('(광고)')).toHaveLength(2);
  const link = unsubscribeLinkOf(email);
  expect(link).toMatch(/^https:\/\/unsubscribe\.example\.com\/\?token=/);
  for (const body of [email.text, email.html]) {
    expect(body).toContain('광고성 정보 전송자: 주식회사 오크앤램프');
    expect(body).toContain('연락처: 서울특별시 중구 세종대로 110 · 02-123-4567 · help@oak.example');
    expect(body).toContain('수신 거부는 무료이며');
  }
  expect(email.text).toContain(`수신 거부: ${link}`);
  expect(email.html).toContain(`<a href="${link.replace(/&/g, '&amp;')}"`);
}

/** The repository's templates are whole documents: the notice sits inside, before the end. */
function expectNoticeInsideDocument(email: OutgoingEmail): void {
  expect(email.html.indexOf('광고성 정보 전송자')).toBeGreaterThan(email.html.indexOf('<body'));
  expect(email.html.indexOf('광고성 정보 전송자')).toBeLessThan(email.html.lastIndexOf('</body>'));
}

function expectNoAdvertisingMarks(email: OutgoingEmail): void {
  expect(email.subject).not.toContain('(광고)');
  expect(email.text).not.toContain('광고성 정보 전송자');
  expect(email.html).not.toContain('광고성 정보 전송자');
}

describe('Korean advertising email, as the sender sends it', () => {
  it('knows every template in the repository', () => {
    const onDisk = readdirSync(REPOSITORY_TEMPLATES_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
      .map((entry) => entry.name);

    expect(Object.keys(TEMPLATES).sort()).toEqual(onDisk.sort());
  });

  it.each(
    Object.entries(TEMPLATES)
      .filter(([, spec]) => spec.advertising)
      .map(([name]) => name),
  )('marks %s in Korean: (광고) first in the subject, and the sender and how to refuse at the end', async (template) => {
    const email = await sendAs(template, true, 'ko-KR');

    expectAdvertisingMarks(email);
    expectNoticeInsideDocument(email);
  });

  it.each(
    Object.entries(TEMPLATES)
      .filter(([, spec]) => !spec.advertising)
      .map(([name]) => name),
  )('leaves %s in Korean unmarked: it is no advertising', async (template) => {
    expectNoAdvertisingMarks(await sendAs(template, false, 'ko-KR'));
  });

  it('leaves email in other languages as the template wrote it', async () => {
    const email = await sendAs('welcome-offer', true, 'en-GB');

    expect(email.subject).not.toContain('(광고)');
    expect(email.html).not.toContain('광고성 정보 전송자');
  });

  it('marks advertising whatever the template says, and takes the mark off a transactional subject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ko-templates-'));
    scratch.push(dir);
    const template = (name: string, subject: string) => {
      mkdirSync(join(dir, name, 'ko'), { recursive: true });
      writeFileSync(join(dir, name, 'ko', 'subject.liquid'), subject);
      writeFileSync(join(dir, name, 'ko', 'html.liquid'), '<p>본문</p>');
      writeFileSync(join(dir, name, 'ko', 'text.liquid'), '본문');
      mkdirSync(join(dir, name, 'en'), { recursive: true });
      for (const part of ['subject', 'html', 'text']) writeFileSync(join(dir, name, 'en', `${part}.liquid`), 'body');
    };
    template('bare-offer', '이번 주 특가');
    template('marked-twice', '(광고)(광고) 이번 주 특가');
    template('receipt', '(광고) 영수증');

    const bare = await sendAs('bare-offer', true, 'ko-KR', dir);
    const twice = await sendAs('marked-twice', true, 'ko-KR', dir);
    const receipt = await sendAs('receipt', false, 'ko', dir);

    expect(bare.subject).toBe('(광고) 이번 주 특가');
    expectAdvertisingMarks(bare);
    expect(twice.subject).toBe('(광고) 이번 주 특가');
    expect(receipt.subject).toBe('영수증');
    expectNoAdvertisingMarks(receipt);
  });
});
