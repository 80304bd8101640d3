/**
 * The demo's simulated customers: each follows a persona through the six stages — some only
 * browse, some abandon a cart, some buy and use what they bought, some wait for a late order, ask
 * for help, cancel or renew — as a shop, a billing system, devices and a help desk would report it.
 * Deterministic for a seed; every event lies in the past of `now`.
 */
import type { EmitInput } from '#shared/events/emitter.ts';
import { Random } from './random.ts';

export type Persona = 'browser' | 'cart-abandoner' | 'buyer' | 'delayed-order' | 'payment-trouble' | 'asks-for-help' | 'churner' | 'loyal';

const PERSONAS: readonly (readonly [Persona, number])[] = [
  ['browser', 20],
  ['cart-abandoner', 15],
  ['buyer', 25],
  ['delayed-order', 8],
  ['payment-trouble', 5],
  ['asks-for-help', 12],
  ['churner', 8],
  ['loyal', 7],
];

const PEOPLE = [
  { first: 'Mina', last: 'Kim', locale: 'ko-KR', timezone: 'Asia/Seoul' },
  { first: 'Jisoo', last: 'Park', locale: 'ko-KR', timezone: 'Asia/Seoul' },
  { first: 'Lena', last: 'Fischer', locale: 'de-DE', timezone: 'Europe/Berlin' },
  { first: 'Tom', last: 'Baker', locale: 'en-GB', timezone: 'Europe/London' },
  { first: 'Ana', last: 'Silva', locale: 'en-US', timezone: 'America/New_York' },
  { first: 'Sam', last: 'Lee', locale: 'en-US', timezone: 'America/Los_Angeles' },
] as const;

const PRODUCTS = [
  { productId: 'p-oak-chair', name: 'Oak chair', category: 'furniture', price: 89 },
  { productId: 'p-desk-lamp', name: 'Desk lamp', category: 'lighting', price: 39 },
  { productId: 'p-sofa-3', name: 'Three-seat sofa', category: 'furniture', price: 799 },
  { productId: 'p-rug-wool', name: 'Wool rug', category: 'textiles', price: 149 },
  { productId: 'p-smart-bulb', name: 'Smart bulb', category: 'lighting', price: 19 },
] as const;

const CHANNELS = ['instagram', 'search', 'newsletter', 'referral'] as const;

interface Question {
  readonly subject: string;
  readonly message: string;
  readonly answerable: boolean;
}

/** What customers ask the help desk: most of it the knowledge base answers, some it must not. */
const QUESTIONS_EN: readonly Question[] = [
  { subject: 'Cleaning', message: 'How do I clean the fabric of my sofa?', answerable: true },
  { subject: 'Delivery', message: 'How long does delivery take?', answerable: true },
  { subject: 'Smart bulb', message: 'How do I reset my smart bulb? It will not pair with the app.', answerable: true },
  { subject: 'Returns', message: 'Can I return something I bought two weeks ago?', answerable: true },
  { subject: 'Damaged', message: 'The sofa arrived with a torn seam. I want someone to call me today.', answerable: false },
  { subject: 'Charged twice', message: 'I was charged twice for my order, please fix this.', answerable: false },
];
const QUESTIONS_KO: readonly Question[] = [
  { subject: '배송', message: '배송은 보통 얼마나 걸리나요?', answerable: true },
  { subject: '세탁', message: '소파 천은 어떻게 세탁하나요?', answerable: true },
  { subject: '반품', message: '산 지 2주 된 상품도 반품할 수 있나요?', answerable: true },
  { subject: '파손', message: '소파가 찢어진 채로 왔어요. 오늘 꼭 전화 주세요.', answerable: false },
];

export interface DemoCustomer {
  readonly id: string;
  readonly persona: Persona;
}

export interface Population {
  readonly customers: readonly DemoCustomer[];
  /** Every event, oldest first. */
  readonly events: readonly EmitInput[];
  /** Each customer's events in the order they happened, one list per customer (as `customers`). */
  readonly stories: readonly (readonly EmitInput[])[];
}

export interface PopulationOptions {
  readonly customers: number;
  readonly seed: number;
  /** Virtual now: every event happens before it. */
  readonly now: number;
  /** How far back the simulated history starts. @default 30 days */
  readonly days?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Writes one customer's events, each a little after the last. */
class Story {
  readonly events: EmitInput[] = [];
  private at: number;
  private sequence = 0;

  constructor(
    private readonly random: Random,
    private readonly prefix: string,
    start: number,
    private readonly end: number,
  ) {
    this.at = start;
  }

  /** Moves time on by between `min` and `max` hours (never past the end). */
  later(minHours: number, maxHours: number): this {
    this.at = Math.min(this.end - 60_000, this.at + this.random.int(minHours * 60, maxHours * 60) * 60_000);
    return this;
  }

  /** Moves time on to between 1 and `maxHours` hours before the end (if it is not later already). */
  recently(maxHours: number): this {
    this.at = Math.max(this.at, this.end - this.random.int(60, maxHours * 60) * 60_000);
    return this;
  }

  add(event: EmitInput): this {
    const detail = { ...event.detail, eventId: `${this.prefix}-${++this.sequence}`, occurredAt: new Date(this.at).toISOString() };
    this.events.push({ ...event, detail } as EmitInput);
    return this;
  }
}

export function generatePopulation(options: PopulationOptions): Population {
  const random = new Random(options.seed);
  const start = options.now - (options.days ?? 30) * DAY;
  const customers: DemoCustomer[] = [];
  const stories: EmitInput[][] = [];

  for (let n = 1; n <= options.customers; n++) {
    const persona = random.weighted(PERSONAS);
    const person = random.pick(PEOPLE);
    const id = `demo-${String(n).padStart(4, '0')}`;
    const anonymousId = `visitor-${options.seed}-${n}`;
    const email = `${person.first}.${person.last}.${n}@example.com`.toLowerCase();
    const known = { id, email, name: `${person.first} ${person.last}`, locale: person.locale, timezone: person.timezone };
    // Customers arrive over the history, each with ten days left at least to live their story.
    const story = new Story(random, `demo-${options.seed}-${n}`, start + random.int(0, Math.max(0, (options.days ?? 30) - 10)) * DAY, options.now);
    const product = random.pick(PRODUCTS);
    const channel = random.pick(CHANNELS);
    const items = [{ productId: product.productId, name: product.name, category: product.category, quantity: 1, price: product.price }];
    const order = { orderId: `o-${n}`, items, total: product.price, currency: 'EUR' };

    // Discover: most arrive anonymously from a campaign, then leave their email.
    story.add({
      detailType: 'campaign.touched',
      detail: { customer: { anonymousId }, data: { channel, campaign: 'autumn-sale', utm: { source: channel, medium: 'social' } } },
    });
    // Some browsers leave after the first touch and stay in discover.
    if (persona !== 'browser' || random.chance(0.6))
      story.later(0, 2).add({ detailType: 'product.viewed', detail: { customer: { anonymousId }, data: { ...product } } });
    if (persona === 'browser') {
      if (random.chance(0.5))
        story
          .later(1, 48)
          .add({ detailType: 'content.viewed', detail: { customer: { anonymousId }, data: { contentId: 'guide-small-rooms', topic: 'interior' } } });
      // Some browsers sign up in the end: their anonymous history joins their profile.
      const signsUp = random.chance(0.4);
      if (signsUp)
        story.later(1, 24).add({
          detailType: 'lead.captured',
          detail: { customer: { ...known, anonymousId }, data: { channel: 'signup-form', consent: { email: random.chance(0.7), topics: ['newsletter'] } } },
        });
      customers.push({ id: signsUp ? id : `anon:${anonymousId}`, persona });
      stories.push(story.events);
      continue;
    }
    story.later(1, 24).add({
      detailType: 'lead.captured',
      detail: {
        customer: { ...known, anonymousId },
        data: { channel: 'signup-form', campaign: 'autumn-sale', consent: { email: random.chance(0.8), topics: ['newsletter', 'offers'] } },
      },
    });

    // Research.
    story.later(1, 48).add({ detailType: 'product.viewed', detail: { customer: { id }, data: { ...product } } });
    story
      .later(0, 4)
      .add({ detailType: 'cart.updated', detail: { customer: { id }, data: { cartId: `cart-${n}`, items, total: product.price, currency: 'EUR' } } });
    if (persona === 'cart-abandoner') {
      customers.push({ id, persona });
      stories.push(story.events);
      continue;
    }

    // Buy.
    story
      .later(0, 24)
      .add({ detailType: 'checkout.started', detail: { customer: { id }, data: { cartId: `cart-${n}`, items, total: product.price, currency: 'EUR' } } });
    if (persona === 'payment-trouble')
      story.later(0, 1).add({ detailType: 'payment.failed', detail: { customer: { id }, data: { cartId: `cart-${n}`, reason: 'card declined' } } });
    story.later(0, 2).add({ detailType: 'order.placed', detail: { customer: known, data: order } });
    if (persona === 'delayed-order') {
      story.later(24, 48).add({
        detailType: 'order.delayed',
        detail: {
          customer: { id },
          data: { orderId: order.orderId, newEstimatedDelivery: new Date(options.now + 2 * DAY).toISOString().slice(0, 10), reason: 'supplier shortage' },
        },
      });
      if (random.chance(0.5)) {
        customers.push({ id, persona });
        stories.push(story.events);
        continue;
      }
    }
    story.later(12, 48).add({
      detailType: 'order.shipped',
      detail: { customer: { id }, data: { orderId: order.orderId, carrier: 'DHL', trackingUrl: `https://tracking.example.com/${order.orderId}` } },
    });
    story.later(24, 72).add({ detailType: 'order.delivered', detail: { customer: { id }, data: { orderId: order.orderId } } });

    // Use.
    story.later(1, 48).add({ detailType: 'product.activated', detail: { customer: { id }, data: { productId: product.productId, orderId: order.orderId } } });
    for (let use = random.int(1, 4); use > 0; use--) {
      story.later(12, 72).add({
        detailType: 'usage.recorded',
        detail: { customer: { id }, data: { productId: product.productId, feature: 'daily-use', quantity: random.int(1, 5), source: 'app' } },
      });
    }

    // Support: recent questions, so the knowledge base answers them now; the help desk resolves
    // some of the ones it cannot answer.
    if (persona === 'asks-for-help') {
      const requestId = `r-${n}`;
      const question = random.pick(person.locale === 'ko-KR' ? QUESTIONS_KO : QUESTIONS_EN);
      story.recently(12).add({
        detailType: 'support.requested',
        detail: {
          customer: { id },
          data: { requestId, channel: random.pick(['email', 'chat', 'web'] as const), subject: question.subject, message: question.message },
        },
      });
      if (!question.answerable && random.chance(0.5))
        story.later(1, 6).add({
          detailType: 'support.resolved',
          detail: { customer: { id }, data: { requestId, resolution: 'Called the customer back.', answeredBy: 'agent' } },
        });
    }

    // Retain.
    if (persona === 'churner') {
      story.later(24, 96).add({ detailType: 'subscription.cancelled', detail: { customer: { id }, data: { plan: 'care-plus', reason: 'too expensive' } } });
      // The CRM flags them: the at-risk segment the win-back journey is launched on.
      story.later(1, 12).add({ detailType: 'profile.updated', detail: { customer: { id }, data: { attributes: { churnRisk: true } } } });
    }
    if (persona === 'loyal') {
      story.later(24, 96).add({ detailType: 'subscription.renewed', detail: { customer: { id }, data: { plan: 'care-plus' } } });
      story
        .later(1, 24)
        .add({ detailType: 'survey.responded', detail: { customer: { id }, data: { surveyId: `nps-${n}`, kind: 'nps', score: random.int(8, 10) } } });
    }
    if (random.chance(0.1))
      story.later(1, 24).add({ detailType: 'consent.updated', detail: { customer: { id }, data: { channel: 'email', topic: 'offers', subscribed: false } } });
    customers.push({ id, persona });
    stories.push(story.events);
  }

  const events = stories.flat().sort((a, b) => Date.parse(a.detail.occurredAt ?? '') - Date.parse(b.detail.occurredAt ?? ''));
  return { customers, events, stories };
}

/** Events a buggy business system might send: each breaks the contract in its own way. */
export function malformedEntries(count: number, seed: number): { DetailType: string; Source: string; Detail: string }[] {
  const random = new Random(seed + 1);
  const broken = [
    () => ({ DetailType: 'order.placed', Detail: { eventId: 'x', occurredAt: 'yesterday', customer: { id: 'demo-0001' }, data: {} } }),
    () => ({
      DetailType: 'order.placed',
      Detail: { eventId: 'x2', occurredAt: '2026-01-01T00:00:00Z', customer: {}, data: { orderId: 'o', items: [], total: -1, currency: 'euro' } },
    }),
    () => ({
      DetailType: 'support.requested',
      Detail: {
        eventId: 'x3',
        occurredAt: '2026-01-01T00:00:00Z',
        customer: { id: 'demo-0002', email: 'a@b.c\r\nBcc: spam@example.com' },
        data: { requestId: 'r', channel: 'pigeon', message: '<script>alert(1)</script>' },
      },
    }),
    () => ({
      DetailType: 'product.viewed',
      Detail: { eventId: 'x4', occurredAt: '2999-01-01T00:00:00Z', customer: { id: 'demo-0003' }, data: { productId: 'p-1' } },
    }),
  ];
  return Array.from({ length: count }, (_, n) => {
    const entry = random.pick(broken)();
    return {
      DetailType: entry.DetailType,
      Source: 'com.example.legacy-shop',
      Detail: JSON.stringify({ ...entry.Detail, eventId: `${entry.Detail.eventId}-${seed}-${n}` }),
    };
  });
}
