import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import type { SendRequestInput } from '#shared/outreach/request.ts';
import { readMessage } from '#shared/outreach/outreach-store.ts';
import { readProfile } from '#shared/profile/store.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo as emailsTo_, systemEvents as systemEvents_, type SystemEvent } from '#tests/support/observe.ts';

// Noon in Seoul, 03:00 in London: a Korean customer is awake, a British one is in quiet hours.
const START = Date.parse('2026-11-22T03:00:00Z');
let test: TestCloud;
let outreachQueueUrl: string;

const seen: SystemEvent[] = [];

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
  const [outputs = {}] = Object.values(test.cloud.outputs);
  outreachQueueUrl = outputs.OutreachQueueUrl ?? '';
});

afterAll(async () => {
  await test.stop();
});

const emitter = () =>
  createEmitter({ client: test.eventBridge, eventBusName: test.busName, source: 'com.example.shop', clock: () => new Date(test.cloud.clock.now()) });

async function customer(id: string, customer: Record<string, string>, consent?: { email: boolean; topics?: string[] }) {
  await emitter().emit([
    { detailType: 'lead.captured', detail: { customer: { id, ...customer }, data: { channel: 'signup-form', ...(consent && { consent }) } } } as EmitInput,
  ]);
  await eventually(() => readProfile({ ddb: test.ddb, tableName: test.tableName }, id), `the profile of ${id}`);
  await test.cloud.settle();
}

async function request(input: Omit<SendRequestInput, 'version'>) {
  await test.sqs.send(new SendMessageCommand({ QueueUrl: outreachQueueUrl, MessageBody: JSON.stringify({ version: 1, ...input }) }));
  await test.cloud.settle();
}

const emailsTo = (address: string) => emailsTo_(test, address);
const systemEvents = () => systemEvents_(test, seen);

const skipReason = async (messageKey: string) =>
  (await systemEvents()).find((event) => event['detail-type'] === 'outreach.skipped' && event.detail.data.messageKey === messageKey)?.detail.data.reason;

/** Why the welcome series' first email to a customer was not sent. */
const welcomeSkipReason = async (customerId: string) =>
  (await systemEvents()).find(
    (event) => event['detail-type'] === 'outreach.skipped' && event.detail.customer?.id === customerId && event.detail.data.template === 'welcome',
  )?.detail.data.reason;

describe('outreach through the local cloud', () => {
  it('welcomes a lead who consents (the welcome series), with the Korean template for a ko-KR profile', async () => {
    await customer('c-mina', { email: 'mina@example.com', name: 'Mina Kim', locale: 'ko-KR', timezone: 'Asia/Seoul' }, { email: true, topics: ['newsletter'] });

    const [welcome] = await eventually(async () => {
      const emails = await emailsTo('mina@example.com');
      return emails.length > 0 ? emails : undefined;
    }, 'the welcome email');

    expect(welcome?.body.html).toMatch(/[가-힣]/);
    expect(welcome?.body.text).toMatch(/[가-힣]/);
  });

  it('marks marketing email for one-click unsubscribe (RFC 8058) with a signed link', async () => {
    const [welcome] = await emailsTo('mina@example.com');
    const headers = Object.fromEntries((welcome?.headers ?? []).map((header) => [header.name, header.value]));

    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['List-Unsubscribe']).toMatch(/^<http.+\/lambda-url\/.+\?token=v1\.[\w-]+\.[\w-]+>$/);
    const link = headers['List-Unsubscribe']?.slice(1, -1) ?? '';
    expect(welcome?.body.html).toContain(link.replace(/&/g, '&amp;').split('?token=')[1]?.slice(0, 20));
  });

  it('escapes markup in a customer name', async () => {
    await customer('c-script', { email: 'script@example.com', name: '<script>alert(1)</script> Lee', locale: 'en-US', timezone: 'Asia/Seoul' });
    await request({
      messageKey: 'order:o-script',
      customerId: 'c-script',
      template: 'order-confirmation',
      kind: 'transactional',
      variables: { order: { orderId: 'o-script', items: [{ productId: 'p-1', quantity: 1, price: 10 }], total: 10, currency: 'EUR' } },
    });

    const [email] = await emailsTo('script@example.com');
    expect(email?.body.html).not.toContain('<script>');
    expect(email?.body.html).toContain('&lt;script&gt;');
  });

  it('sends transactional email without marketing consent, and no marketing email', async () => {
    await customer('c-silent', { email: 'silent@example.com', timezone: 'Asia/Seoul' });
    await request({ messageKey: 'offer:c-silent', customerId: 'c-silent', template: 'welcome', kind: 'marketing', topic: 'offers' });
    await request({
      messageKey: 'order:o-silent',
      customerId: 'c-silent',
      template: 'order-confirmation',
      kind: 'transactional',
      variables: { order: { orderId: 'o-silent', items: [{ productId: 'p-1', quantity: 2, price: 5 }], total: 10, currency: 'EUR' } },
    });

    const emails = await emailsTo('silent@example.com');
    expect(emails).toHaveLength(1);
    expect(emails[0]?.headers ?? []).not.toContainEqual(expect.objectContaining({ name: 'List-Unsubscribe' }));
    // A customer first seen a moment ago is looked at once more, two minutes on, before the offer is given up.
    expect(await skipReason('offer:c-silent')).toBeUndefined();
    test.cloud.clock.advance(3 * 60_000);
    await test.cloud.settle();
    expect(await skipReason('offer:c-silent')).toBe('no-consent');
    expect(await emailsTo('silent@example.com')).toHaveLength(1);
  });

  it('sends one email for a request delivered three times', async () => {
    await customer('c-thrice', { email: 'thrice@example.com', timezone: 'Asia/Seoul' });
    const order = { orderId: 'o-3', items: [{ productId: 'p-1', quantity: 1, price: 3 }], total: 3, currency: 'EUR' };
    for (let copy = 0; copy < 3; copy++)
      await request({ messageKey: 'order:o-3', customerId: 'c-thrice', template: 'order-confirmation', kind: 'transactional', variables: { order } });

    expect(await emailsTo('thrice@example.com')).toHaveLength(1);
  });

  it('stops marketing email at the frequency cap', async () => {
    // The welcome email counts: with the cap of 3 a week, two more go out and the third is capped.
    await customer('c-busy', { email: 'busy@example.com', timezone: 'Asia/Seoul' }, { email: true, topics: ['newsletter', 'offers'] });
    for (const n of [1, 2, 3])
      await request({ messageKey: `offer:c-busy:${n}`, customerId: 'c-busy', template: 'welcome', kind: 'marketing', topic: 'offers' });

    expect(await emailsTo('busy@example.com')).toHaveLength(3);
    expect(await skipReason('offer:c-busy:3')).toBe('capped');
  });

  it('defers marketing email in quiet hours and delivers it when they end', async () => {
    await customer('c-london', { email: 'london@example.com', timezone: 'Europe/London' }, { email: true, topics: ['newsletter'] });

    expect(await emailsTo('london@example.com')).toHaveLength(0);
    expect(await welcomeSkipReason('c-london')).toBe('deferred-quiet-hours');

    // 03:00 in London: quiet hours end at 08:00.
    test.cloud.clock.advance(5 * 60 * 60_000);
    const emails = await eventually(async () => {
      await test.cloud.settle();
      const sent = await emailsTo('london@example.com');
      return sent.length > 0 ? sent : undefined;
    }, 'the deferred welcome email');
    expect(emails).toHaveLength(1);
  });

  it('unsubscribes with one click; a forged token gets 403 and changes nothing', async () => {
    const [welcome] = await emailsTo('mina@example.com');
    const link = (welcome?.headers ?? []).find((header) => header.name === 'List-Unsubscribe')?.value.slice(1, -1) ?? '';
    const forged = link.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const oneClick = (url: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

    expect((await oneClick(forged)).status).toBe(403);
    expect((await readProfile({ ddb: test.ddb, tableName: test.tableName }, 'c-mina'))?.consent.email.topics.newsletter?.subscribed).toBe(true);

    expect((await oneClick(link)).status).toBe(200);
    expect((await readProfile({ ddb: test.ddb, tableName: test.tableName }, 'c-mina'))?.consent.email.topics.newsletter?.subscribed).toBe(false);

    await request({ messageKey: 'news:c-mina:2', customerId: 'c-mina', template: 'welcome', kind: 'marketing', topic: 'newsletter' });
    expect(await emailsTo('mina@example.com')).toHaveLength(1);
    expect(await skipReason('news:c-mina:2')).toBe('unsubscribed');
  });

  it('shows the preference page for the link in the email', async () => {
    const [welcome] = await emailsTo('mina@example.com');
    const preferences = /href="([^"]+token=[^"]+)"/.exec(welcome?.body.html ?? '')?.[1]?.replace(/&amp;/g, '&') ?? '';

    const page = await fetch(preferences);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Your email preferences');
  });

  it('suppresses an address that bounces, for every kind of email', async () => {
    await customer('c-bounce', { email: 'bounce@simulator.amazonses.com', timezone: 'Asia/Seoul' });
    await request({
      messageKey: 'order:o-b1',
      customerId: 'c-bounce',
      template: 'order-confirmation',
      kind: 'transactional',
      variables: { order: { orderId: 'o-b1', items: [{ productId: 'p', quantity: 1, price: 1 }], total: 1, currency: 'EUR' } },
    });

    // SES reports the bounce a moment after the send.
    test.cloud.clock.advance(5_000);
    await eventually(async () => {
      await test.cloud.settle();
      return (await systemEvents()).find((event) => event['detail-type'] === 'email.bounced' && event.detail.customer?.id === 'c-bounce');
    }, 'the bounce to come back');
    await request({
      messageKey: 'order:o-b2',
      customerId: 'c-bounce',
      template: 'order-confirmation',
      kind: 'transactional',
      variables: { order: { orderId: 'o-b2', items: [{ productId: 'p', quantity: 1, price: 1 }], total: 1, currency: 'EUR' } },
    });

    expect(await emailsTo('bounce@simulator.amazonses.com')).toHaveLength(1);
    expect(await skipReason('order:o-b2')).toBe('suppressed');
    const bounced = await eventually(
      async () => (await readMessage({ ddb: test.ddb, tableName: test.tableName }, 'c-bounce', 'order:o-b1'))?.feedback?.bounced,
      'the bounce on the message log',
    );
    expect(Date.parse(bounced)).toBeGreaterThan(START);
  });

  it('suppresses an address that complains', async () => {
    await customer('c-complaint', { email: 'complaint@simulator.amazonses.com', timezone: 'Asia/Seoul' });
    await request({
      messageKey: 'order:o-c1',
      customerId: 'c-complaint',
      template: 'order-confirmation',
      kind: 'transactional',
      variables: { order: { orderId: 'o-c1', items: [{ productId: 'p', quantity: 1, price: 1 }], total: 1, currency: 'EUR' } },
    });

    test.cloud.clock.advance(10_000);
    await eventually(async () => {
      await test.cloud.settle();
      return (await systemEvents()).find((event) => event['detail-type'] === 'email.complained' && event.detail.customer?.id === 'c-complaint');
    }, 'the complaint to come back');
    await request({
      messageKey: 'order:o-c2',
      customerId: 'c-complaint',
      template: 'order-confirmation',
      kind: 'transactional',
      variables: { order: { orderId: 'o-c2', items: [{ productId: 'p', quantity: 1, price: 1 }], total: 1, currency: 'EUR' } },
    });

    expect(await skipReason('order:o-c2')).toBe('suppressed');
  });

  it('delays but loses nothing when SES throttles', async () => {
    await customer('c-throttled', { email: 'throttled@example.com', timezone: 'Asia/Seoul' });
    test.cloud.faults.set([{ point: 'ses', rate: 1 }]);
    await request({
      messageKey: 'order:o-t',
      customerId: 'c-throttled',
      template: 'order-confirmation',
      kind: 'transactional',
      variables: { order: { orderId: 'o-t', items: [{ productId: 'p', quantity: 1, price: 1 }], total: 1, currency: 'EUR' } },
    });
    expect(await emailsTo('throttled@example.com')).toHaveLength(0);

    // SES recovers; the request comes back after its visibility timeout and goes out once.
    test.cloud.faults.set([]);
    test.cloud.clock.advance(6 * 60_000 + 1_000);
    const emails = await eventually(async () => {
      await test.cloud.settle();
      const sent = await emailsTo('throttled@example.com');
      return sent.length > 0 ? sent : undefined;
    }, 'the throttled email to go out');
    expect(emails).toHaveLength(1);
    expect(test.cloud.faults.injected.get('ses')).toBeGreaterThanOrEqual(4);
  });

  it('handled all feedback without a function failure', async () => {
    const failures = test.cloud.stacks[0]?.queues.find((queue) => queue.name.includes('FunctionFailures'));
    expect(test.cloud.services.sqs.peek(failures?.arn ?? '')).toEqual([]);
  });

  it('announces every email sent', async () => {
    const sent = (await systemEvents()).filter((event) => event['detail-type'] === 'outreach.sent');
    expect(sent.length).toBe(test.cloud.emailsSent());
  });
});
