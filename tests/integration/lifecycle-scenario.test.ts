/**
 * The six stages at work, end to end in the local cloud: a scripted cohort of customers, each on
 * their own path through discover, research, buy, use, support and retain, over six days of
 * virtual time. For each: the stage they end in, what the profile learnt, the emails they got (by
 * template, from the system's `outreach.sent` events) and the events the system put on the bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import { launchRunId } from '#shared/journeys/launch.ts';
import { readStats } from '#shared/journeys/metrics.ts';
import { bucket } from '#shared/journeys/run.ts';
import type { Profile } from '#shared/profile/profile.ts';
import { readProfile } from '#shared/profile/store.ts';
import { emitAndSettle, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { inbox, systemEvents, type SystemEvent } from '#tests/support/observe.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 10:00 in Seoul: everyone lives there, so no email waits for quiet hours on day 0.
const T0 = Date.parse('2026-11-23T01:00:00Z');

let test: TestCloud;
const seen: SystemEvent[] = [];

/** The scheduled win-back launches of the first days (at-risk is evaluated daily at 04:00 UTC) are named after the time they fire. */
const scheduledLaunchIds = [0, 1, 2, 3, 4].map(
  (day) =>
    `scheduled-${new Date(T0 + 3 * HOUR + day * DAY)
      .toISOString()
      .replace(/[^0-9]/g, '')
      .slice(0, 14)}`,
);
/** The churner: a customer the win-back's 10% holdout leaves in the treatment, whichever launch takes them. */
const CHURNER =
  Array.from({ length: 200 }, (_, n) => `s-churner-${n}`).find((id) =>
    scheduledLaunchIds.every((launchId) => bucket(launchRunId(launchId, id), 'holdout') >= 10),
  ) ?? '';

const person = (id: string) => ({ id, email: `${id}@example.com`, name: `${id.replace(/^s-/, '')} Tester`, locale: 'en-US', timezone: 'Asia/Seoul' });
const chair = { productId: 'p-oak-chair', name: 'Oak chair', category: 'furniture', quantity: 1, price: 89 };
const lamp = { productId: 'p-desk-lamp', name: 'Desk lamp', category: 'lighting', quantity: 1, price: 39 };
const bulb = { productId: 'p-smart-bulb', name: 'Smart bulb', category: 'lighting', quantity: 1, price: 19 };
const sofa = { productId: 'p-sofa-3', name: 'Three-seat sofa', category: 'furniture', quantity: 1, price: 799 };

type Data = Record<string, unknown>;
const event = (detailType: string, customer: Data, data: Data, extra: Data = {}) => ({ detailType, detail: { customer, data, ...extra } }) as EmitInput;
const order = (id: string, orderId: string, items: (typeof chair)[], at?: number) =>
  event(
    'order.placed',
    { id },
    { orderId, items, total: items.reduce((sum, item) => sum + item.price * item.quantity, 0), currency: 'EUR' },
    at === undefined ? {} : { occurredAt: new Date(at).toISOString() },
  );
const lead = (id: string, consent?: { email: boolean; topics?: string[] }) =>
  event('lead.captured', person(id), { channel: 'signup-form', ...(consent && { consent }) });
const consent = (id: string, topic: string) => event('consent.updated', person(id), { channel: 'email', topic, subscribed: true });

const emit = (events: EmitInput[]) => emitAndSettle(test, events);

/** What happens when, in hours from T0; the clock moves on an hour at a time in between. */
const script: [number, () => Promise<void>][] = [
  [
    0,
    async () => {
      // Background: earlier customers who bought the chair with the lamp (for recommendations).
      for (const n of [1, 2, 3]) await emit([order(`s-earlier-${n}`, `o-earlier-${n}`, [chair, lamp], T0 - (20 + n) * DAY)]);
      await emit([
        // 1. Never buys: a newsletter lead who reads content.
        lead('s-never-buys', { email: true, topics: ['newsletter'] }),
        event('content.viewed', { id: 's-never-buys' }, { contentId: 'guide-small-rooms', topic: 'interior' }),
        // 2. Leaves a cart, then buys after the reminder (offers only: no welcome series).
        lead('s-cart-then-buy', { email: true, topics: ['offers'] }),
        event('cart.updated', { id: 's-cart-then-buy' }, { cartId: 'cart-2', items: [chair], total: 89, currency: 'EUR' }),
        // 3. A delayed order.
        event('lead.captured', person('s-delayed'), { channel: 'web' }),
        order('s-delayed', 'o-delayed', [sofa]),
        event('order.delayed', { id: 's-delayed' }, { orderId: 'o-delayed', newEstimatedDelivery: '2026-12-04', reason: 'supplier shortage' }),
        // 4. Asks what the knowledge base answers.
        event('lead.captured', person('s-kb-question'), { channel: 'web' }),
        order('s-kb-question', 'o-kb', [lamp]),
        event('order.shipped', { id: 's-kb-question' }, { orderId: 'o-kb', carrier: 'DHL', trackingUrl: 'https://tracking.example.com/o-kb' }),
        event('order.delivered', { id: 's-kb-question' }, { orderId: 'o-kb' }),
      ]);
      await emit([
        event(
          'support.requested',
          { id: 's-kb-question' },
          { requestId: 'r-kb', channel: 'email', subject: 'Delivery', message: 'How long does delivery take?' },
        ),
      ]);
      await emit([
        // 5. Asks what it cannot answer.
        event('lead.captured', person('s-human'), { channel: 'web' }),
        event(
          'support.requested',
          { id: 's-human' },
          { requestId: 'r-human', channel: 'phone', message: 'I received the wrong item and I want to talk to a person right now.' },
        ),
        // 6. Churns: two orders months ago, cancels the plan; agreed to offers.
        event('lead.captured', person(CHURNER), { channel: 'web' }, { occurredAt: new Date(T0 - 130 * DAY).toISOString() }),
        order(CHURNER, 'o-churn-1', [bulb], T0 - 120 * DAY),
        order(CHURNER, 'o-churn-2', [bulb], T0 - 90 * DAY),
        consent(CHURNER, 'offers'),
        event('subscription.cancelled', { id: CHURNER }, { plan: 'care-plus', reason: 'too expensive' }),
        // 7. A payment fails, then goes through.
        event('lead.captured', person('s-payment'), { channel: 'web' }),
        // 8. Delivered but never activated: the onboarding nudge.
        event('lead.captured', person('s-onboarding'), { channel: 'web' }),
        consent('s-onboarding', 'product-updates'),
        order('s-onboarding', 'o-onboarding', [bulb]),
        event('order.delivered', { id: 's-onboarding' }, { orderId: 'o-onboarding' }),
        // 9. Activates and uses what they bought.
        event('lead.captured', person('s-user'), { channel: 'web' }),
        consent('s-user', 'product-updates'),
        order('s-user', 'o-user', [bulb]),
        event('order.delivered', { id: 's-user' }, { orderId: 'o-user' }),
        event('product.activated', { id: 's-user' }, { productId: 'p-smart-bulb', orderId: 'o-user' }),
        event('usage.recorded', { id: 's-user' }, { productId: 'p-smart-bulb', quantity: 3, source: 'app' }),
        // 10. Browses anonymously from Instagram, then signs up: one customer, with that history.
        event('campaign.touched', { anonymousId: 'v-merge' }, { channel: 'instagram', campaign: 'spring', utm: { source: 'instagram', medium: 'social' } }),
        event('product.viewed', { anonymousId: 'v-merge' }, { productId: 'p-desk-lamp', name: 'Desk lamp', category: 'lighting' }),
        // 11. Views the chair twice and leaves: browse abandonment.
        lead('s-browse', { email: true, topics: ['offers'] }),
        event('product.viewed', { id: 's-browse' }, { productId: 'p-oak-chair', name: 'Oak chair', category: 'furniture' }),
        // 12. The best customer: frequent, big orders.
        event('lead.captured', person('s-champion'), { channel: 'web' }, { occurredAt: new Date(T0 - 70 * DAY).toISOString() }),
        consent('s-champion', 'newsletter'),
        ...[60, 40, 20].map((days, n) => order('s-champion', `o-champion-${n}`, [sofa, chair], T0 - days * DAY)),
        // 13. Said no to email: leaves a cart, gets no marketing email.
        lead('s-opted-out', { email: false }),
        event('cart.updated', { id: 's-opted-out' }, { cartId: 'cart-13', items: [lamp], total: 39, currency: 'EUR' }),
      ]);
      await emit([
        event(
          'lead.captured',
          { id: 's-anon-merge', anonymousId: 'v-merge', email: 's-anon-merge@example.com', timezone: 'Asia/Seoul' },
          { channel: 'signup-form' },
        ),
      ]);
    },
  ],
  // An hour after signing up (an event in the same batch as the sign-up could be recorded first,
  // before the profile has an email address to send the recovery email to).
  [1, () => emit([event('payment.failed', { id: 's-payment' }, { cartId: 'cart-7', reason: 'card declined' })])],
  [
    2,
    () =>
      emit([
        order('s-cart-then-buy', 'o-cart-2', [chair]),
        order('s-payment', 'o-payment', [lamp]),
        event('product.viewed', { id: 's-browse' }, { productId: 'p-oak-chair', name: 'Oak chair', category: 'furniture' }),
      ]),
  ],
  [3, () => answerSurvey('s-kb-question@example.com', 5)],
  [25, () => emit([event('usage.recorded', { id: 's-user' }, { productId: 'p-smart-bulb', quantity: 2, source: 'app' })])],
  [
    49,
    () =>
      emit([
        event('usage.recorded', { id: 's-user' }, { productId: 'p-smart-bulb', quantity: 4, source: 'app' }),
        order('s-champion', 'o-champion-3', [sofa, sofa]),
      ]),
  ],
  // Scored at 02:00 UTC, offered at 04:00 (hour 3), the reminder due three days on: the order comes between.
  [50, () => emit([order(CHURNER, 'o-churn-back', [bulb])])],
];

/** Clicks the score in the CSAT survey email, as the customer would. */
async function answerSurvey(address: string, score: number) {
  const email = (await inbox(test)).find((each) => each.destination.to.includes(address) && /how did we do|satisf/i.test(each.subject));
  const link = email?.body.text?.match(new RegExp(`https?://\\S+score=${score}\\b`))?.[0];
  if (!link) throw new Error('no survey link in the CSAT email');
  const response = await fetch(link.replace(/^https?:\/\/[^/]+/, test.cloud.endpoint));
  expect(response.status).toBe(200);
  await test.cloud.settle();
}

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: T0 });
  for (let hour = 0; hour <= 6 * 24; hour++) {
    if (hour > 0) {
      test.cloud.clock.advance(HOUR);
      await test.cloud.settle(120_000);
    }
    for (const [at, action] of script) if (at === hour) await action();
    // The probe queue keeps messages four days, as SQS does: read it as the story goes.
    await systemEvents(test, seen);
  }
}, 600_000);

afterAll(async () => {
  await test.stop();
});

const store = () => ({ ddb: test.ddb, tableName: test.tableName });
const profileOf = async (id: string): Promise<Profile> => (await readProfile(store(), id)) ?? expect.unreachable(`no profile for ${id}`);
const events = async () => systemEvents(test, seen);
const sentTemplates = async (id: string) =>
  (await events())
    .filter((each) => each['detail-type'] === 'outreach.sent' && each.detail.customer?.id === id)
    .map((each) => String(each.detail.data.template))
    .sort();
const skipReasons = async (id: string) =>
  (await events())
    .filter((each) => each['detail-type'] === 'outreach.skipped' && each.detail.customer?.id === id)
    .map((each) => `${each.detail.data.template}:${each.detail.data.reason}`);
const supportEvents = async (requestId: string) =>
  (await events()).filter((each) => each['detail-type'].startsWith('support.') && each.detail.data.requestId === requestId);

describe('a cohort through the six stages', () => {
  it('1. never buys: a newsletter lead who reads gets the welcome and the tips, no offer', async () => {
    const profile = await profileOf('s-never-buys');
    expect(profile.stage).toBe('research');
    expect(profile.interests?.interior).toBeDefined();
    expect(await sentTemplates('s-never-buys')).toEqual(['welcome', 'welcome-tips']);
  });

  it('2. leaves a cart and buys after the reminder, which recommended what others bought with the chair', async () => {
    expect((await profileOf('s-cart-then-buy')).stage).toBe('buy');
    expect(await sentTemplates('s-cart-then-buy')).toEqual(['cart-reminder', 'order-confirmation']);
    const reminder = (await inbox(test)).find((each) => each.destination.to.includes('s-cart-then-buy@example.com') && /cart/i.test(each.subject));
    expect(reminder?.body.text).toContain('You might also like');
    expect(reminder?.body.text).toContain('Desk lamp');
    const cart = await readStats(
      store(),
      'cart-recovery',
      (await loadDefinitions()).journeys.find((journey) => journey.name === 'cart-recovery')?.version ?? 0,
    );
    expect(cart.converted).toBeGreaterThanOrEqual(1);
  });

  it('3. a delayed order: confirmed, then an apology with the new date', async () => {
    expect((await profileOf('s-delayed')).stage).toBe('buy');
    expect(await sentTemplates('s-delayed')).toEqual(['delay-notice', 'order-confirmation']);
    const apology = (await inbox(test)).find(
      (each) => each.destination.to.includes('s-delayed@example.com') && each.body.text?.includes('New estimated delivery'),
    );
    expect(apology?.body.text).toMatch(/New estimated delivery: .*December 4, 2026/);
  });

  it('4. asks what the knowledge base answers: replied at once, resolved, surveyed an hour later, answered 5', async () => {
    const profile = await profileOf('s-kb-question');
    expect(await sentTemplates('s-kb-question')).toEqual(['csat-survey', 'order-confirmation', 'shipping-notice', 'support-reply']);
    expect(await supportEvents('r-kb')).toMatchObject([{ 'detail-type': 'support.resolved', detail: { data: { answeredBy: 'knowledge-base' } } }]);
    expect(profile.support).toEqual({ open: [], resolved: ['r-kb'] });
    expect(profile.surveys?.csat?.score).toBe(5);
    expect(profile.scores.csat).toBe(5);
    // Back from support to use, then on to retain with the survey answer.
    expect(profile.stage).toBe('retain');
  });

  it('5. asks what it cannot: escalated with a priority and an SLA, acknowledged, still in support', async () => {
    const profile = await profileOf('s-human');
    expect(profile.stage).toBe('support');
    expect(await sentTemplates('s-human')).toEqual(['support-acknowledgement']);
    const [escalated] = await supportEvents('r-human');
    expect(escalated?.['detail-type']).toBe('support.escalated');
    expect(['high', 'urgent']).toContain(escalated?.detail.data.priority);
  });

  it('6. churns and is won back: flagged by the daily scoring, offered, orders again', async () => {
    const profile = await profileOf(CHURNER);
    expect(profile.attributes).toMatchObject({ churnRisk: true, winBack: 'started' });
    expect(String(profile.attributes.churnReasons)).toContain('cancelled');
    expect(await sentTemplates(CHURNER)).toEqual(['order-confirmation', 'win-back-offer']);
    const winBack = await readStats(store(), 'win-back', 2);
    expect(winBack.treatment.converted).toBeGreaterThanOrEqual(1);
    expect(profile.counters.orders).toBe(3);
  });

  it('7. a failed payment: a recovery email with a link back to the cart, then the order', async () => {
    expect(await sentTemplates('s-payment')).toEqual(['order-confirmation', 'payment-recovery']);
    const recovery = (await inbox(test)).find((each) => each.destination.to.includes('s-payment@example.com') && each.body.text?.includes('checkout/retry'));
    expect(recovery?.body.text).toContain('https://shop.example.com/checkout/retry?cart=cart-7');
    expect((await profileOf('s-payment')).stage).toBe('buy');
  });

  it('8. delivered but not activated after three days: the onboarding nudge names the product', async () => {
    const profile = await profileOf('s-onboarding');
    expect(profile.stage).toBe('use');
    expect(await sentTemplates('s-onboarding')).toEqual(['onboarding-nudge', 'order-confirmation']);
    const nudge = (await inbox(test)).find(
      (each) => each.destination.to.includes('s-onboarding@example.com') && each.body.text?.includes('Smart bulb') && !each.body.text.includes('o-onboarding'),
    );
    expect(nudge).toBeDefined();
  });

  it('9. activates and uses what they bought: milestones and rolling usage, no nudge', async () => {
    const profile = await profileOf('s-user');
    expect(profile.stage).toBe('use');
    expect(profile.usage).toMatchObject({ activations: 1, milestones: expect.arrayContaining(['activated', 'active-3-days']), declining: false });
    expect(profile.usage?.days?.quantities.reduce((sum, quantity) => sum + quantity, 0)).toBe(9);
    expect(await sentTemplates('s-user')).toEqual(['order-confirmation']);
  });

  it('10. an anonymous visitor who signs up keeps the history: first touch, interests, stage', async () => {
    const profile = await profileOf('s-anon-merge');
    expect(profile.attribution?.first).toMatchObject({ channel: 'instagram', campaign: 'spring', source: 'instagram' });
    expect(profile.attribution?.last).toMatchObject({ channel: 'signup-form' });
    expect(profile.interests?.lighting).toBeDefined();
    expect(profile.stage).toBe('research');
    expect(profile.counters.events).toBe(3);
    expect(await sentTemplates('s-anon-merge')).toEqual([]);
  });

  it('11. views the chair twice and buys nothing within a day: reminded once, with recommendations', async () => {
    expect(await sentTemplates('s-browse')).toEqual(['browse-abandon']);
    const reminder = (await inbox(test)).find((each) => each.destination.to.includes('s-browse@example.com'));
    expect(reminder?.body.text).toContain('Oak chair');
    expect(reminder?.body.text).toContain('Desk lamp');
    expect((await profileOf('s-browse')).recentViews).toEqual(['p-oak-chair']);
  });

  it('12. the best customer: scored champion, given the gold tier and thanked', async () => {
    const profile = await profileOf('s-champion');
    expect(profile.attributes).toMatchObject({ rfmSegment: 'champions', loyaltyTier: 'gold' });
    expect(await sentTemplates('s-champion')).toEqual(['loyalty-thanks', 'order-confirmation']);
  });

  it('13. said no to email: no marketing email, with the reason recorded', async () => {
    expect(await sentTemplates('s-opted-out')).toEqual([]);
    expect(await skipReasons('s-opted-out')).toContain('cart-reminder:unsubscribed');
  });

  it('sends nobody the same message twice', async () => {
    const keys = (await events()).filter((each) => each['detail-type'] === 'outreach.sent').map((each) => String(each.detail.data.messageKey));
    expect(keys.length).toBeGreaterThan(20);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
