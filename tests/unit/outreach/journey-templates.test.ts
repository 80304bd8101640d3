/**
 * The journey email templates (welcome series, abandoned cart, win-back, payment recovery,
 * shipping, onboarding, CSAT survey, loyalty), rendered through the real renderer and the
 * repository templates, in English and Korean, with sample data from the event fixtures.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_TEMPLATES_DIR, TEMPLATE_PARTS, createRenderer, type RenderInput, type RenderedEmail } from '#shared/outreach/render.ts';
import { fixture } from '#tests/fixtures/events.ts';
import { expectFooter, expectWellFormed, htmlHref } from '#tests/support/email-footer.ts';

const renderer = createRenderer({ templatesDir: REPOSITORY_TEMPLATES_DIR });

// ---- sample data, from the event catalog fixtures ------------------------------------------

const placed = fixture('order.placed').detail; // Mina Kim, ko-KR, Asia/Seoul
const cartUpdated = fixture('cart.updated').detail.data; // cart-5521: 2 × Oak chair at 89.50 EUR, total 179
const paymentFailed = fixture('payment.failed').detail.data; // o-9001, "card declined"
const shipped = fixture('order.shipped').detail.data; // o-9001, DHL, tracking URL, 2026-11-25
const delivered = fixture('order.delivered').detail.data; // o-9001
const activated = fixture('product.activated').detail.data; // p-chair-01 of o-9001
const resolved = fixture('support.resolved').detail.data; // r-3141
const surveyId = String(fixture('survey.responded').detail.data.surveyId); // csat-r-3141

const customerName = String(placed.customer.name);
const brand = { name: 'Oak & Co', url: 'https://shop.example.com' };
const links = {
  unsubscribeUrl: 'https://shop.example.com/unsubscribe?token=t0k&topic=offers',
  preferencesUrl: 'https://shop.example.com/preferences?token=t0k',
};

const cart = { cartId: cartUpdated.cartId, items: cartUpdated.items, total: cartUpdated.total, currency: cartUpdated.currency };
const recommendations = [
  { name: 'Oak side table', productId: 'p-table-07', price: 129, currency: 'EUR' },
  { name: 'Linen cushion', productId: 'p-cushion-03', price: 24.9, currency: 'EUR' },
];
const welcomeOffer = { code: 'WELCOME15', percent: 15, expiresAt: '2026-12-06' };
const winBackOffer = { code: 'COMEBACK20', percent: 20, expiresAt: '2026-12-13' };
const retryUrl = `https://shop.example.com/checkout/retry?order=${String(paymentFailed.orderId)}&token=r3try`;
const productName = (placed.data.items as Array<{ productId: string; name: string }>).find((item) => item.productId === activated.productId)?.name; // Oak chair
const surveyLinks = [1, 2, 3, 4, 5].map((score) => ({ score, url: `https://surveys.example.com/${surveyId}?score=${score}&token=t0k` }));

// ---- the templates ------------------------------------------------------------------------

type Kind = 'marketing' | 'transactional';

interface TemplateSpec {
  readonly kind: Kind;
  /** Every variable the template takes, optional ones included. */
  readonly full: Record<string, unknown>;
  /** Only what the template requires. */
  readonly minimal: Record<string, unknown>;
  /** Phrases the full render must say in text and HTML, per language. */
  readonly content: { readonly en: readonly string[]; readonly ko: readonly string[] };
  /** Variables (dotted paths) whose absence must fail the render. */
  readonly required: readonly string[];
}

const SPECS = {
  'welcome-tips': {
    kind: 'marketing',
    full: { variant: 'A' },
    minimal: {},
    content: {
      en: ['Three tips to get more out of Oak & Co', 'Choose what you hear about', 'Follow every order', 'Ask us anything'],
      ko: ['Oak & Co 쇼핑이 더 편해지는 3가지 팁', '원하시는 소식만 받아 보세요', '주문 진행 상황을 메일로 확인하세요', '궁금한 점은 언제든지 문의하세요'],
    },
    required: [],
  },
  'welcome-offer': {
    kind: 'marketing',
    full: { offer: welcomeOffer },
    minimal: { offer: welcomeOffer },
    content: {
      en: ['15% off your first order', 'WELCOME15', 'Sunday, December 6, 2026'],
      ko: ['첫 주문 15% 할인 혜택을 드립니다', 'WELCOME15', '2026년 12월 6일 일요일까지'],
    },
    required: ['offer', 'offer.code', 'offer.percent', 'offer.expiresAt'],
  },
  'cart-reminder': {
    kind: 'marketing',
    full: { cart, recommendations },
    minimal: { cart },
    content: {
      en: ['You left something in your cart', 'Oak chair', '€179.00', 'You might also like', 'Oak side table', '€129.00'],
      ko: ['장바구니에 상품이 남아 있습니다', 'Oak chair', '€179.00', '합계', '이런 상품은 어떠세요?', 'Oak side table', '€129.00'],
    },
    required: ['cart', 'cart.items', 'cart.total', 'cart.currency'],
  },
  'browse-abandon': {
    kind: 'marketing',
    full: { product: { productId: 'p-oak-chair', name: 'Oak chair' }, recommendations },
    minimal: { product: { productId: 'p-oak-chair' } },
    content: {
      en: ['Still thinking it over?', 'Oak chair', 'more than once', 'Customers who liked it also bought', 'Oak side table', '€129.00'],
      ko: ['아직 고민 중이신가요?', 'Oak chair', '여러 번 살펴보셨네요', '함께 구매한 상품', 'Linen cushion', '€24.90'],
    },
    required: ['product', 'product.productId'],
  },
  'cart-last-call': {
    kind: 'marketing',
    full: { cart, recommendations },
    minimal: { cart },
    content: {
      en: ['Last call for your cart', 'last reminder', 'Oak chair', '€179.00', 'You might also like', 'Linen cushion', '€24.90'],
      ko: ['마지막으로 안내해 드립니다', '마지막 안내', 'Oak chair', '€179.00', '이런 상품은 어떠세요?', 'Linen cushion', '€24.90'],
    },
    required: ['cart', 'cart.items', 'cart.total', 'cart.currency'],
  },
  'win-back-offer': {
    kind: 'marketing',
    full: { offer: winBackOffer, lastOrder: { orderId: delivered.orderId } },
    minimal: { offer: winBackOffer },
    content: {
      en: ['We miss you', 'o-9001', '20% off your next order', 'COMEBACK20', 'Sunday, December 13, 2026'],
      ko: ['다시 뵙고 싶습니다', 'o-9001', '20% 할인 코드', 'COMEBACK20', '2026년 12월 13일 일요일까지'],
    },
    required: ['offer', 'offer.code', 'offer.percent', 'offer.expiresAt'],
  },
  'win-back-reminder': {
    kind: 'marketing',
    full: { offer: winBackOffer },
    minimal: { offer: winBackOffer },
    content: {
      en: ['Your offer ends soon', '20% discount', 'COMEBACK20', 'Sunday, December 13, 2026'],
      ko: ['할인 혜택이 곧 종료됩니다', '20% 할인 혜택', 'COMEBACK20', '2026년 12월 13일 일요일까지'],
    },
    required: ['offer', 'offer.code', 'offer.percent', 'offer.expiresAt'],
  },
  'payment-recovery': {
    kind: 'transactional',
    full: { payment: { orderId: paymentFailed.orderId, cartId: cartUpdated.cartId, reason: paymentFailed.reason }, retryUrl },
    minimal: { retryUrl },
    content: {
      en: ["Your payment didn't go through", 'for order o-9001', 'card declined', 'Retry payment'],
      ko: ['결제가 완료되지 않았습니다', '주문번호 o-9001', 'card declined', '다시 결제하기'],
    },
    required: ['retryUrl'],
  },
  'shipping-notice': {
    kind: 'transactional',
    full: {
      order: { orderId: shipped.orderId },
      shipment: { carrier: shipped.carrier, trackingUrl: shipped.trackingUrl, estimatedDelivery: shipped.estimatedDelivery },
    },
    minimal: { order: { orderId: shipped.orderId } },
    content: {
      en: ['Your order is on its way', 'o-9001', 'DHL', 'Wednesday, November 25, 2026', 'https://tracking.example.com/o-9001'],
      ko: ['주문하신 상품이 발송되었습니다', 'o-9001', 'DHL', '2026년 11월 25일 수요일', 'https://tracking.example.com/o-9001'],
    },
    required: ['order', 'order.orderId'],
  },
  'onboarding-nudge': {
    kind: 'marketing',
    full: { product: { productId: activated.productId, name: productName } },
    minimal: { product: { productId: activated.productId } },
    content: {
      en: ['Ready to get started?', 'Oak chair', "arrived a few days ago, and it looks like you haven't activated it yet", 'quick-start guide'],
      ko: ['이제 시작해 보실까요?', 'Oak chair', '며칠 전 도착했는데, 아직 활성화하지 않으신 것 같아', '빠른 시작 안내서'],
    },
    required: ['product', 'product.productId'],
  },
  'csat-survey': {
    kind: 'transactional',
    full: { request: { requestId: resolved.requestId }, surveyLinks },
    minimal: { request: { requestId: resolved.requestId }, surveyLinks },
    content: {
      en: ['How did we do?', 'r-3141', 'has been resolved', 'Very dissatisfied', 'Very satisfied'],
      ko: ['상담은 만족스러우셨나요?', 'r-3141', '처리가 완료되었습니다', '매우 불만족', '매우 만족'],
    },
    required: ['request', 'request.requestId', 'surveyLinks'],
  },
  'loyalty-thanks': {
    kind: 'marketing',
    full: { loyalty: { tier: 'gold' } },
    minimal: { loyalty: { tier: 'gold' } },
    content: {
      en: ['Thank you for being with us', 'Gold members', 'Your membership tier'],
      ko: ['늘 함께해 주셔서 감사합니다', '골드 등급 회원', '회원 등급'],
    },
    required: ['loyalty', 'loyalty.tier'],
  },
} satisfies Record<string, TemplateSpec>;

type TemplateName = keyof typeof SPECS;
const TEMPLATES = Object.keys(SPECS) as TemplateName[];
const spec = (template: TemplateName): TemplateSpec => SPECS[template];

const LOCALES = [
  ['en-US', 'en'],
  ['ko-KR', 'ko'],
] as const;

function inputFor(
  template: TemplateName,
  change: { locale?: string; timezone?: string; variables?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
): RenderInput {
  return {
    template,
    locale: change.locale ?? String(placed.customer.locale),
    timezone: change.timezone ?? String(placed.customer.timezone),
    variables: {
      customer: { firstName: customerName.split(' ')[0], name: customerName },
      brand,
      ...links, // transactional renders get the links too, so a layout that showed them would be caught
      ...(change.variables ?? spec(template).full),
      ...change.extra,
    },
  };
}

async function rendered(input: RenderInput): Promise<RenderedEmail> {
  const result = await renderer.render(input);
  if (!result.ok) throw new Error(`expected ${input.template} to render: ${result.reason}`);
  return result.email;
}

async function reasonOf(input: RenderInput): Promise<string> {
  const result = await renderer.render(input);
  if (result.ok) throw new Error(`expected ${input.template} to fail`);
  return result.reason;
}

/** A deep copy of the variables without the value at a dotted path. */
function without(variables: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = structuredClone(variables);
  const keys = path.split('.');
  const last = keys.pop() as string;
  let holder: Record<string, unknown> = copy;
  for (const key of keys) holder = holder[key] as Record<string, unknown>;
  delete holder[last];
  return copy;
}

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;');
const href = htmlHref;

// ---- what is on disk ----------------------------------------------------------------------

describe('journey template folders', () => {
  it('has every journey template in English and Korean, with all three parts', () => {
    expect(renderer.templates()).toEqual(expect.arrayContaining(TEMPLATES));
    const missing: string[] = [];
    for (const template of TEMPLATES) {
      expect(renderer.locales(template)).toEqual(['en', 'ko']);
      for (const locale of ['en', 'ko']) {
        for (const part of TEMPLATE_PARTS) {
          const file = join(template, locale, `${part}.liquid`);
          if (!existsSync(join(REPOSITORY_TEMPLATES_DIR, file))) missing.push(file);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

// ---- every template in every locale -------------------------------------------------------

describe.each(TEMPLATES)('template %s', (template) => {
  const { kind, content, required, minimal } = spec(template);
  const marketing = kind === 'marketing';

  it.each(LOCALES)('renders for %s in the %s template, with its content in html and text', async (locale, language) => {
    expectWellFormed(await rendered(inputFor(template, { locale })), language, content[language]);
  });

  it('marks the Korean subject as an advertisement exactly when it is marketing', async () => {
    const ko = await rendered(inputFor(template, { locale: 'ko-KR' }));
    const en = await rendered(inputFor(template, { locale: 'en-US' }));
    if (marketing) expect(ko.subject.startsWith('(광고) ')).toBe(true);
    else expect(ko.subject).toMatch(/^\[Oak & Co\] /);
    if (!marketing) expect(ko.subject).not.toContain('(광고)');
    expect(en.subject).not.toContain('(광고)');
  });

  it.each(['en', 'ko'])(
    marketing ? 'shows the unsubscribe and preferences links (%s)' : 'has no unsubscribe link and says it is a service email (%s)',
    async (locale) => {
      expectFooter(await rendered(inputFor(template, { locale })), marketing, locale, links);
    },
  );

  if (marketing) {
    it('will not render as marketing without an unsubscribe link', async () => {
      const { unsubscribeUrl: _dropped, ...variables } = inputFor(template).variables;
      expect(await reasonOf({ ...inputFor(template), variables })).toMatch(
        new RegExp(`^template ${template}, locale ko, part html: undefined variable: unsubscribeUrl`),
      );
    });
  }

  it.each(LOCALES)('renders for %s with only the required variables, every optional one left out', async (locale) => {
    const email = await rendered(inputFor(template, { locale, variables: minimal }));
    expect(email.subject).not.toBe('');
    expect(email.text).not.toMatch(/\n{3,}/);
  });

  if (required.length > 0) {
    it.each(required)('fails without %s, naming the template, locale and part', async (path) => {
      for (const [locale, language] of LOCALES) {
        const reason = await reasonOf(inputFor(template, { locale, variables: without(spec(template).full, path) }));
        expect(reason).toMatch(
          new RegExp(`^template ${template}, locale ${language}, part (subject|html|text): undefined variable: ${path.replace('.', '\\.')}\\b`),
        );
      }
    });
  }
});

// ---- template by template -----------------------------------------------------------------

describe('welcome-tips', () => {
  it('tests two subject lines: A leads with the benefit, B asks a question; no variant means A', async () => {
    const subjects = async (locale: string) => {
      const [a, b, none] = await Promise.all(
        ['A', 'B', undefined].map((variant) => rendered(inputFor('welcome-tips', { locale, variables: variant ? { variant } : {} }))),
      );
      return { a: a!, b: b!, none: none! };
    };
    const en = await subjects('en-US');
    expect(en.a.subject).toBe('3 quick tips to get more out of Oak & Co');
    expect(en.b.subject).toBe('Are you getting the most out of Oak & Co?');
    expect(en.none.subject).toBe(en.a.subject);
    expect(en.b.html).toBe(en.a.html); // only the subject is tested
    expect(en.b.text).toBe(en.a.text);

    const ko = await subjects('ko-KR');
    expect(ko.a.subject).toBe('(광고) Oak & Co 쇼핑이 더 편해지는 3가지 팁');
    expect(ko.b.subject).toBe('(광고) Oak & Co, 제대로 활용하고 계신가요?');
    expect(ko.b.subject.endsWith('?')).toBe(true);
    expect(ko.none.subject).toBe(ko.a.subject);
  });

  it('links the preferences page in the tip about choosing emails', async () => {
    const email = await rendered(inputFor('welcome-tips', { locale: 'en-US' }));
    expect(email.html).toMatch(new RegExp(`${href(links.preferencesUrl).replaceAll('?', '\\?')}[^>]*>email preferences</a>`));
  });
});

describe('offers', () => {
  it('welcome-offer: the code, the percent in subject and body, and the expiry date', async () => {
    const en = await rendered(inputFor('welcome-offer', { locale: 'en-US' }));
    expect(en.subject).toBe('A welcome gift: 15% off your first order at Oak & Co');
    expect(en.text).toContain('Your code: WELCOME15\nValid until: Sunday, December 6, 2026');
    expect(en.html).toMatch(/>WELCOME15<\/strong>/);
    const ko = await rendered(inputFor('welcome-offer', { locale: 'ko-KR' }));
    expect(ko.subject).toBe('(광고) 가입을 환영합니다! 첫 주문 15% 할인 코드를 드립니다');
    expect(ko.text).toContain('할인 코드: WELCOME15\n사용 기한: 2026년 12월 6일 일요일까지');
  });

  it('shows the offer end as that calendar day in every time zone', async () => {
    const email = await rendered(inputFor('welcome-offer', { locale: 'en-US', timezone: 'America/Los_Angeles' }));
    expect(email.text).toContain('Valid until: Sunday, December 6, 2026');
  });

  it('win-back-offer mentions the last order only when given', async () => {
    const withOrder = await rendered(inputFor('win-back-offer', { locale: 'en-US' }));
    expect(withOrder.subject).toBe("We miss you — here's 20% off your next order");
    expect(withOrder.text).toContain("It's been a while since your last order (o-9001)");
    for (const locale of ['en-US', 'ko-KR']) {
      for (const lastOrder of [undefined, {}, { orderId: '' }]) {
        const email = await rendered(inputFor('win-back-offer', { locale, variables: { offer: winBackOffer, ...(lastOrder && { lastOrder }) } }));
        expect(email.text).not.toContain('o-9001');
        expect(email.text).not.toContain('()');
        expect(email.text).toContain('COMEBACK20');
      }
    }
    const ko = await rendered(inputFor('win-back-offer', { locale: 'ko-KR', variables: { offer: winBackOffer } }));
    expect(ko.text).toContain('한동안 뵙지 못해 안부 인사를 드립니다.');
  });

  it('win-back-reminder says when the offer ends, in the subject and the body', async () => {
    const en = await rendered(inputFor('win-back-reminder', { locale: 'en-US' }));
    expect(en.subject).toBe('Reminder: your 20% off ends soon');
    expect(en.text).toContain('but only until Sunday, December 13, 2026.');
    expect(en.text).toContain('Your code: COMEBACK20');
    const ko = await rendered(inputFor('win-back-reminder', { locale: 'ko-KR' }));
    expect(ko.subject).toBe('(광고) 20% 할인 혜택이 곧 종료됩니다');
    expect(ko.text).toContain('2026년 12월 13일 일요일까지 사용하실 수 있습니다');
  });
});

describe.each(['cart-reminder', 'cart-last-call'] as const)('%s', (template) => {
  const twoItems = {
    ...cart,
    items: [...(cart.items as unknown[]), { productId: 'p-lamp-02', quantity: 1, price: 20 }],
    total: 199,
  };

  it('lists each item with quantity, unit price and amount, and the total', async () => {
    const en = await rendered(inputFor(template, { locale: 'en-US', variables: { cart: twoItems } }));
    const row = en.html.match(/<tr>\s*<td[^>]*>Oak chair.*?<\/tr>/s)?.[0] ?? '';
    expect(row).toContain('€89.50 each');
    expect(row).toMatch(/>2<\/td>/);
    expect(row).toMatch(/>€179\.00<\/td>/);
    expect(en.html).toMatch(/>Total<\/td>\s*<td[^>]*>€199\.00<\/td>/);
    expect(en.text).toContain('- Oak chair: 2 × €89.50 = €179.00\n- p-lamp-02: 1 × €20.00 = €20.00\n\nTotal: €199.00');
    const ko = await rendered(inputFor(template, { locale: 'ko-KR', variables: { cart: twoItems } }));
    expect(ko.text).toContain('- Oak chair: 2개 × €89.50 = €179.00\n- p-lamp-02: 1개 × €20.00 = €20.00\n\n합계: €199.00');
    expect(ko.html).toContain('개당 €89.50');
  });

  it('formats won without minor units', async () => {
    const krw = { cartId: 'cart-1', items: [{ productId: 'p-1', name: '원목 의자', quantity: 1, price: 179000 }], total: 179000, currency: 'KRW' };
    const email = await rendered(inputFor(template, { locale: 'ko-KR', variables: { cart: krw } }));
    expect(email.text).toContain('- 원목 의자: 1개 × ₩179,000 = ₩179,000');
    expect(email.text).toContain('합계: ₩179,000');
  });

  it('shows "you might also like" only with recommendations', async () => {
    for (const [locale, heading] of [
      ['en-US', 'You might also like'],
      ['ko-KR', '이런 상품은 어떠세요?'],
    ] as const) {
      const withRecommendations = await rendered(inputFor(template, { locale }));
      expect(withRecommendations.text).toContain(`${heading}${locale === 'en-US' ? ':' : ''}\n- Oak side table: €129.00\n- Linen cushion: €24.90\n`);
      expect(withRecommendations.html).toMatch(/>Oak side table<\/td>\s*<td[^>]*>€129\.00<\/td>/);
      for (const variables of [{ cart }, { cart, recommendations: [] }]) {
        const email = await rendered(inputFor(template, { locale, variables }));
        for (const part of [email.html, email.text]) {
          expect(part).not.toContain(heading);
          expect(part).not.toContain('Oak side table');
        }
      }
    }
  });

  it('escapes item names in HTML', async () => {
    const hostile = { ...cart, items: [{ productId: 'p-x', name: '<img src=x onerror=alert(1)>', quantity: 1, price: 1 }], total: 1 };
    const email = await rendered(inputFor(template, { locale: 'en-US', variables: { cart: hostile } }));
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.html).not.toContain('<img');
  });
});

describe('cart-last-call', () => {
  it('is more urgent than the first reminder', async () => {
    for (const locale of ['en-US', 'ko-KR']) {
      const [reminder, lastCall] = await Promise.all([rendered(inputFor('cart-reminder', { locale })), rendered(inputFor('cart-last-call', { locale }))]);
      expect(lastCall.subject).not.toBe(reminder.subject);
      expect(lastCall.subject).toMatch(locale === 'en-US' ? /^Last reminder/ : /^\(광고\) \[마지막 안내\]/);
      expect(lastCall.text).toContain(locale === 'en-US' ? 'Popular items can sell out' : '인기 상품은 일찍 품절될 수 있으니');
    }
  });
});

describe('payment-recovery', () => {
  it('names the order, shows the reason and links the retry page', async () => {
    const en = await rendered(inputFor('payment-recovery', { locale: 'en-US' }));
    expect(en.subject).toBe("Your payment for order o-9001 didn't go through");
    expect(en.text).toContain("We couldn't process your payment for order o-9001");
    expect(en.text).toContain('Reason: card declined');
    expect(en.text).toContain(`Retry payment: ${retryUrl}`);
    expect(en.html).toContain(`${href(retryUrl)} `);
    const ko = await rendered(inputFor('payment-recovery', { locale: 'ko-KR' }));
    expect(ko.subject).toBe('[Oak & Co] 결제가 완료되지 않았습니다 (주문번호 o-9001)');
    expect(ko.text).toContain('사유: card declined');
    expect(ko.text).toContain(`다시 결제하기: ${retryUrl}`);
  });

  it('shows the reason only when given', async () => {
    for (const [locale, label] of [
      ['en-US', 'Reason'],
      ['ko-KR', '사유'],
    ] as const) {
      for (const payment of [{ orderId: 'o-9001' }, { orderId: 'o-9001', reason: '' }]) {
        const email = await rendered(inputFor('payment-recovery', { locale, variables: { payment, retryUrl } }));
        expect(email.text).not.toContain(`${label}:`);
        expect(email.html).not.toContain(`>${label}</span>`);
      }
    }
  });

  it('speaks of the cart when there is no order, and of the purchase when there is neither', async () => {
    const forCart = await rendered(inputFor('payment-recovery', { locale: 'en-US', variables: { payment: { cartId: 'cart-5521' }, retryUrl } }));
    expect(forCart.subject).toBe("Your payment didn't go through");
    expect(forCart.text).toContain('for the items in your cart');
    expect(forCart.text).not.toContain('order number');
    const koCart = await rendered(inputFor('payment-recovery', { locale: 'ko-KR', variables: { payment: { cartId: 'cart-5521' }, retryUrl } }));
    expect(koCart.subject).toBe('[Oak & Co] 결제가 완료되지 않았습니다');
    expect(koCart.text).toContain('장바구니 상품의 결제가');
    const bare = await rendered(inputFor('payment-recovery', { locale: 'en-US', variables: { retryUrl } }));
    expect(bare.text).toContain('for your recent purchase');
  });
});

describe('shipping-notice', () => {
  it('shows carrier, estimated delivery and tracking link when given', async () => {
    const en = await rendered(inputFor('shipping-notice', { locale: 'en-US' }));
    expect(en.subject).toBe('Your order o-9001 is on its way');
    expect(en.text).toContain('Estimated delivery: Wednesday, November 25, 2026\nCarrier: DHL\nTrack your parcel: https://tracking.example.com/o-9001');
    expect(en.html).toContain(`${href('https://tracking.example.com/o-9001')} `);
    const ko = await rendered(inputFor('shipping-notice', { locale: 'ko-KR' }));
    expect(ko.subject).toBe('[Oak & Co] 주문하신 상품이 발송되었습니다 (주문번호 o-9001)');
    expect(ko.text).toContain('도착 예정일: 2026년 11월 25일 수요일\n택배사: DHL\n배송 조회: https://tracking.example.com/o-9001');
  });

  it('shows each shipment detail only when given', async () => {
    const labels = {
      carrier: { en: 'Carrier:', ko: '택배사:' },
      estimatedDelivery: { en: 'Estimated delivery:', ko: '도착 예정일:' },
      trackingUrl: { en: 'Track your parcel:', ko: '배송 조회:' },
    } as const;
    const full = { carrier: shipped.carrier, trackingUrl: shipped.trackingUrl, estimatedDelivery: shipped.estimatedDelivery };
    for (const [locale, language] of LOCALES) {
      for (const given of [[], ['carrier'], ['estimatedDelivery'], ['trackingUrl']] as Array<Array<keyof typeof labels>>) {
        const shipment = Object.fromEntries(given.map((field) => [field, full[field]]));
        const email = await rendered(inputFor('shipping-notice', { locale, variables: { order: { orderId: 'o-9001' }, shipment } }));
        for (const field of Object.keys(labels) as Array<keyof typeof labels>) {
          expect(email.text.includes(labels[field][language])).toBe(given.includes(field));
        }
        expect(email.html.includes('tracking.example.com')).toBe(given.includes('trackingUrl'));
        expect(email.html.includes('DHL')).toBe(given.includes('carrier'));
        expect(email.html.includes('border-left:4px solid #16a34a')).toBe(given.includes('carrier') || given.includes('estimatedDelivery'));
      }
    }
  });

  it('shows the estimated delivery as that calendar day in every time zone', async () => {
    const email = await rendered(inputFor('shipping-notice', { locale: 'en-US', timezone: 'America/Los_Angeles' }));
    expect(email.text).toContain('Estimated delivery: Wednesday, November 25, 2026');
  });
});

describe('onboarding-nudge', () => {
  it('names the product, or falls back to its id', async () => {
    const en = await rendered(inputFor('onboarding-nudge', { locale: 'en-US' }));
    expect(en.subject).toBe('Getting started with your Oak chair');
    expect(en.text).toContain('Your Oak chair arrived a few days ago');
    const ko = await rendered(inputFor('onboarding-nudge', { locale: 'ko-KR' }));
    expect(ko.subject).toBe('(광고) Oak chair, 이렇게 시작해 보세요');
    expect(ko.text).toContain('주문하신 상품(Oak chair)이 며칠 전 도착했는데');
    const unnamed = await rendered(inputFor('onboarding-nudge', { locale: 'en-US', variables: spec('onboarding-nudge').minimal }));
    expect(unnamed.subject).toBe('Getting started with your p-chair-01');
    expect(unnamed.text).toContain('Your p-chair-01 arrived a few days ago');
  });
});

describe('csat-survey', () => {
  it('offers the five score links in order, as buttons in HTML and as lines in text', async () => {
    const en = await rendered(inputFor('csat-survey', { locale: 'en-US' }));
    expect(en.subject).toBe('How did we do with your request r-3141?');
    const buttons = [...en.html.matchAll(/<a href="(https:\/\/surveys\.example\.com\/[^"]+)"[^>]*>(\d)<\/a>/g)].map((match) => [match[1], match[2]]);
    expect(buttons).toEqual(surveyLinks.map((link) => [escapeHtml(link.url), String(link.score)]));
    const lines = en.text.split('\n').filter((line) => line.includes('surveys.example.com'));
    expect(lines).toEqual([
      `1 – Very dissatisfied: ${surveyLinks[0]!.url}`,
      `2 – Dissatisfied: ${surveyLinks[1]!.url}`,
      `3 – Neutral: ${surveyLinks[2]!.url}`,
      `4 – Satisfied: ${surveyLinks[3]!.url}`,
      `5 – Very satisfied: ${surveyLinks[4]!.url}`,
    ]);

    const ko = await rendered(inputFor('csat-survey', { locale: 'ko-KR' }));
    expect(ko.subject).toBe('[Oak & Co] 상담은 만족스러우셨나요? (문의번호 r-3141)');
    const koLines = ko.text.split('\n').filter((line) => line.includes('surveys.example.com'));
    expect(koLines).toEqual(surveyLinks.map((link, index) => `${link.score}점(${['매우 불만족', '불만족', '보통', '만족', '매우 만족'][index]}): ${link.url}`));
    const koButtons = [...ko.html.matchAll(/<a href="(https:\/\/surveys\.example\.com\/[^"]+)"/g)].map((match) => match[1]);
    expect(koButtons).toEqual(surveyLinks.map((link) => escapeHtml(link.url)));
  });
});

describe('loyalty-thanks', () => {
  it('names the tier in the customer language, and shows an unknown tier as given', async () => {
    const en = await rendered(inputFor('loyalty-thanks', { locale: 'en-US', variables: { loyalty: { tier: 'silver' } } }));
    expect(en.subject).toBe("You're one of our Silver members — thank you from all of us at Oak & Co");
    expect(en.text).toContain('Your membership tier: Silver');
    const ko = await rendered(inputFor('loyalty-thanks', { locale: 'ko-KR', variables: { loyalty: { tier: 'Gold' } } }));
    expect(ko.subject).toBe('(광고) 골드 등급 회원님께 감사의 마음을 전합니다');
    expect(ko.text).toContain('회원 등급: 골드');
    const other = await rendered(inputFor('loyalty-thanks', { locale: 'ko-KR', variables: { loyalty: { tier: 'Emerald' } } }));
    expect(other.text).toContain('회원 등급: Emerald');
  });
});
