import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import { afterEach, describe, expect, it } from 'vitest';
import { REPOSITORY_TEMPLATES_DIR, TEMPLATE_PARTS, createRenderer, type RenderInput, type RenderedEmail } from '#shared/outreach/render.ts';
import { describeError } from '#shared/outreach/render-errors.ts';
import { formatDate, formatMoney } from '#shared/outreach/render-filters.ts';
import { fixture } from '#tests/fixtures/events.ts';
import { expectFooter, expectWellFormed } from '#tests/support/email-footer.ts';

const renderer = createRenderer({ templatesDir: REPOSITORY_TEMPLATES_DIR });

// ---- sample data, from the event catalog fixtures ------------------------------------------

const placed = fixture('order.placed').detail;
const delayed = fixture('order.delayed').detail.data;
const requested = fixture('support.requested').detail.data;
const escalated = fixture('support.escalated').detail.data;

const customerName = String(placed.customer.name); // "Mina Kim"
const brand = { name: 'Oak & Co', url: 'https://shop.example.com' };
const links = {
  unsubscribeUrl: 'https://shop.example.com/unsubscribe?token=t0k&topic=newsletter',
  preferencesUrl: 'https://shop.example.com/preferences?token=t0k',
};
const order = placed.data; // o-9001: 2 × Oak chair at 89.50 EUR, total 179
const request = { requestId: requested.requestId, subject: requested.subject }; // r-3141, "Where is my order?"
const answer = {
  title: 'Your order is on its way',
  body: 'Good news: your order left our warehouse today.\nIt should arrive by Friday.\n\nKind regards',
};

type TemplateName = 'welcome' | 'order-confirmation' | 'delay-notice' | 'support-reply' | 'support-acknowledgement';

/** The variables of each template beyond customer and brand. */
const templateVariables: Record<TemplateName, Record<string, unknown>> = {
  welcome: { ...links },
  'order-confirmation': { order },
  'delay-notice': { order: { orderId: delayed.orderId }, delay: { newEstimatedDelivery: delayed.newEstimatedDelivery, reason: delayed.reason } },
  'support-reply': { request, answer },
  'support-acknowledgement': { request, sla: { dueAt: escalated.slaDueAt } },
};

const TEMPLATES = Object.keys(templateVariables) as TemplateName[];
const MARKETING: readonly TemplateName[] = ['welcome'];

function inputFor(template: TemplateName, change: Partial<RenderInput> & { extra?: Record<string, unknown> } = {}): RenderInput {
  const { extra, ...rest } = change;
  return {
    template,
    locale: String(placed.customer.locale), // ko-KR
    timezone: String(placed.customer.timezone), // Asia/Seoul
    variables: { customer: { firstName: customerName.split(' ')[0], name: customerName }, brand, ...templateVariables[template], ...extra },
    ...rest,
  };
}

async function rendered(input: RenderInput): Promise<RenderedEmail> {
  const result = await renderer.render(input);
  if (!result.ok) throw new Error(`expected ${input.template} to render: ${result.reason}`);
  return result.email;
}

async function reasonOf(input: RenderInput, using = renderer): Promise<string> {
  const result = await using.render(input);
  if (result.ok) throw new Error(`expected ${input.template} to fail`);
  return result.reason;
}

// ---- what is on disk ----------------------------------------------------------------------

describe('template folders', () => {
  it('lists the templates (not the layouts), each in English and Korean', () => {
    expect(renderer.templates()).toEqual(expect.arrayContaining([...TEMPLATES]));
    expect(renderer.templates()).not.toContain('_layouts');
    for (const template of TEMPLATES) expect(renderer.locales(template)).toEqual(['en', 'ko']);
    expect(renderer.locales('no-such-template')).toEqual([]);
  });

  it('has every part of every template in both locales, and both layouts per locale', () => {
    const missing: string[] = [];
    for (const template of renderer.templates()) {
      for (const locale of ['en', 'ko']) {
        for (const part of TEMPLATE_PARTS) {
          const file = join(template, locale, `${part}.liquid`);
          if (!existsSync(join(REPOSITORY_TEMPLATES_DIR, file))) missing.push(file);
        }
      }
    }
    for (const locale of ['en', 'ko']) {
      for (const layout of ['html', 'text']) {
        const file = join('_layouts', locale, `${layout}.liquid`);
        if (!existsSync(join(REPOSITORY_TEMPLATES_DIR, file))) missing.push(file);
      }
    }
    expect(missing).toEqual([]);
  });
});

// ---- every template in every locale -------------------------------------------------------

/** Phrases each template must say, per language: proves the right template and language were used. */
const expectedContent: Record<TemplateName, { en: string[]; ko: string[] }> = {
  welcome: {
    en: ['Welcome to Oak & Co', 'Thank you for signing up', "Here's what to expect"],
    ko: ['Oak & Co에 오신 것을 환영합니다', '뉴스레터를 구독해 주셔서 진심으로 감사합니다', '앞으로 이런 메일을 보내 드립니다'],
  },
  'order-confirmation': {
    en: ['Thank you for your order', 'o-9001', 'Oak chair', '€179.00'],
    ko: ['주문해 주셔서 감사합니다', 'o-9001', 'Oak chair', '€179.00', '합계'],
  },
  'delay-notice': {
    en: ['running late', 'o-9001', 'November 29, 2026', 'supplier shortage'],
    ko: ['배송이 늦어져 죄송합니다', 'o-9001', '2026년 11월 29일 일요일', '사유', 'supplier shortage'],
  },
  'support-reply': {
    en: ['Here is our answer to your request', 'r-3141', 'Where is my order?', 'Your order is on its way', 'It should arrive by Friday.'],
    ko: ['문의해 주셔서 감사합니다', 'r-3141', 'Where is my order?', 'Your order is on its way', 'It should arrive by Friday.'],
  },
  'support-acknowledgement': {
    en: ["We've received your request", 'r-3141', 'will answer by', 'November 22, 2026'],
    ko: ['문의가 접수되었습니다', 'r-3141', '답변해 드리겠습니다', '2026년 11월 22일'],
  },
};

describe.each(TEMPLATES)('template %s', (template) => {
  const marketing = MARKETING.includes(template);

  it.each([
    ['en-US', 'en'],
    ['ko-KR', 'ko'],
  ] as const)('renders for %s in the %s template, with all its content in html and text', async (locale, language) => {
    expectWellFormed(await rendered(inputFor(template, { locale })), language, expectedContent[template][language]);
  });

  it.each(['en', 'ko'])(
    marketing ? 'shows the unsubscribe and preferences links (%s)' : 'has no unsubscribe link and says why it was sent (%s)',
    async (locale) => {
      // Transactional renders get the links too, so a layout that showed them would be caught.
      const email = await rendered(inputFor(template, { locale, extra: links }));
      expectFooter(email, marketing, locale, links);
      if (!marketing) {
        for (const part of [email.html, email.text]) {
          expect(part).toMatch(
            locale === 'en' ? /You are receiving this email because you (placed|asked)|the delivery date of your order/ : /(주문하신|문의하신)/,
          );
        }
      }
    },
  );

  it('greets neutrally when there is no first name, and never prints an empty one', async () => {
    for (const customer of [{}, { firstName: '' }, { firstName: '   ' }, { name: 'Mina Kim' }]) {
      const en = await rendered(inputFor(template, { locale: 'en', variables: { ...inputFor(template).variables, customer } }));
      expect(en.text).toContain('\nHello,\n');
      expect(en.html).toContain('<p style="margin:0 0 16px;">Hello,</p>');
      expect(en.text).not.toMatch(/Hi\s*,/);
      const ko = await rendered(inputFor(template, { locale: 'ko', variables: { ...inputFor(template).variables, customer } }));
      expect(ko.text).toContain('안녕하세요, 고객님.');
      expect(ko.text).not.toMatch(/(^|\n)\s*님/);
    }
  });
});

// ---- locale choice ------------------------------------------------------------------------

describe('locale', () => {
  it.each([
    ['ko-KR', 'ko'],
    ['ko', 'ko'],
    ['KO-kr', 'ko'],
    ['fr-FR', 'en'],
    ['en-GB', 'en'],
    [undefined, 'en'],
    ['not a locale!', 'en'],
  ])('renders %s in the %s template', async (locale, expected) => {
    const email = await rendered(inputFor('order-confirmation', { locale }));
    expect(email.locale).toBe(expected);
    expect(email.subject).toBe(expected === 'ko' ? '[Oak & Co] 주문이 접수되었습니다 (주문번호 o-9001)' : 'Your order o-9001 is confirmed');
  });

  it('formats the English fallback in English, keeping the customer region (fr-FR gets 29 November, not novembre)', async () => {
    const email = await rendered(inputFor('delay-notice', { locale: 'fr-FR', timezone: 'Europe/Paris' }));
    expect(email.locale).toBe('en');
    expect(email.text).toContain('New estimated delivery: Sunday, 29 November 2026');
    expect(email.html).toContain('<html lang="en-FR"');
  });
});

// ---- money and dates ----------------------------------------------------------------------

describe('order table and money', () => {
  it('lists each item with quantity, unit price and amount, and the total, in HTML', async () => {
    const email = await rendered(inputFor('order-confirmation', { locale: 'en-US' }));
    const row = email.html.match(/<tr>\s*<td[^>]*>Oak chair.*?<\/tr>/s)?.[0] ?? '';
    expect(row).toContain('€89.50 each');
    expect(row).toMatch(/>2<\/td>/);
    expect(row).toMatch(/>€179\.00<\/td>/);
    expect(email.html).toMatch(/>Total<\/td>\s*<td[^>]*>€179\.00<\/td>/);
    expect(email.text).toContain('- Oak chair: 2 × €89.50 = €179.00\n\nTotal: €179.00');
  });

  it('falls back to the product id for an item without a name, and shows no unit price for a single item', async () => {
    const items = [{ productId: 'p-lamp-02', quantity: 1, price: 20 }];
    const email = await rendered(inputFor('order-confirmation', { locale: 'ko-KR', extra: { order: { ...order, items, total: 20 } } }));
    expect(email.text).toContain('- p-lamp-02: 1개 × €20.00 = €20.00');
    expect(email.html).not.toContain('개당');
  });

  it('formats currencies the way Intl does for the locale', async () => {
    expect(formatMoney(179, 'EUR', 'en')).toBe('€179.00');
    expect(formatMoney(179, 'EUR', 'fr-FR')).toBe('179,00\u00a0€');
    expect(formatMoney(179, 'EUR', 'ko-KR')).toBe('€179.00');
    // Won have no minor unit.
    const krw = await rendered(
      inputFor('order-confirmation', {
        extra: { order: { ...order, currency: 'KRW', total: 179000, items: [{ productId: 'p-1', name: '의자', quantity: 1, price: 179000 }] } },
      }),
    );
    expect(krw.text).toContain('합계: ₩179,000');
  });

  it('fails on a currency that is not a code, without repeating the value', async () => {
    const reason = await reasonOf(inputFor('order-confirmation', { extra: { order: { ...order, currency: 'mina.kim@example.com' } } }));
    expect(reason).toContain('template order-confirmation, locale ko, part html');
    expect(reason).toContain('money: expects an ISO 4217 currency code');
    expect(reason).not.toContain('mina.kim');
  });
});

describe('dates', () => {
  it('shows a delivery date as that calendar day in every time zone', async () => {
    // Parsed as midnight UTC and formatted in Los Angeles, 2026-11-29 would become November 28.
    const email = await rendered(inputFor('delay-notice', { locale: 'en-US', timezone: 'America/Los_Angeles' }));
    expect(email.text).toContain('New estimated delivery: Sunday, November 29, 2026');
    const ko = await rendered(inputFor('delay-notice', { locale: 'ko-KR', timezone: 'America/Los_Angeles' }));
    expect(ko.text).toContain('새 도착 예정일: 2026년 11월 29일 일요일');
  });

  it('shows a due time in the customer time zone, with the zone', async () => {
    // 14:00 UTC is 23:00 in Seoul.
    const en = await rendered(inputFor('support-acknowledgement', { locale: 'en-US' }));
    expect(en.text).toMatch(/will answer by Sunday, November 22, 2026.* 11:00 PM GMT\+9\./);
    const ko = await rendered(inputFor('support-acknowledgement', { locale: 'ko-KR' }));
    expect(ko.text).toContain('담당자가 2026년 11월 22일 일요일 23:00 GMT+9까지 답변해 드리겠습니다.');
    const utc = await rendered(inputFor('support-acknowledgement', { locale: 'en-US', timezone: undefined }));
    expect(utc.text).toMatch(/2:00 PM UTC\./);
  });

  it('apologises in the acknowledgement of a request that reached us late, and only then', async () => {
    const late = { request: { ...request, late: true } };
    const en = await rendered(inputFor('support-acknowledgement', { locale: 'en-US', extra: late }));
    const ko = await rendered(inputFor('support-acknowledgement', { locale: 'ko-KR', extra: late }));
    const onTime = await rendered(inputFor('support-acknowledgement', { locale: 'en-US' }));

    expect(en.text).toContain("We're sorry it took a while to reach us");
    expect(en.html).toContain("We're sorry it took a while to reach us");
    expect(ko.text).toContain('문의가 늦게 전달되어 죄송합니다');
    expect(onTime.text).not.toContain('sorry');
  });

  it('shows a date-time estimated delivery as a day in the customer time zone', async () => {
    const email = await rendered(inputFor('delay-notice', { locale: 'en-US', extra: { delay: { newEstimatedDelivery: '2026-11-29T20:00:00Z' } } }));
    expect(email.text).toContain('New estimated delivery: Monday, November 30, 2026\n'); // 05:00 the next day in Seoul
    expect(email.text).not.toContain('Reason:');
  });

  it('rejects dates it cannot place on a calendar', () => {
    const format = { locale: 'en', timeZone: 'UTC' };
    expect(() => formatDate('2026-02-30', format)).toThrow('date: expects an existing calendar date');
    expect(() => formatDate('2026-11-22T14:00:00', format)).toThrow('date-time with a time zone'); // the server's zone would decide
    expect(() => formatDate('next week', format)).toThrow('date-time with a time zone');
  });
});

// ---- escaping and header safety -----------------------------------------------------------

describe('escaping', () => {
  const script = '<script>alert(1)</script>';

  it('escapes variables in HTML and keeps them as typed in plain text', async () => {
    const email = await rendered(inputFor('order-confirmation', { locale: 'en', extra: { customer: { firstName: script } } }));
    expect(email.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain('Oak &amp; Co');
    expect(email.text).toContain(`Hi ${script},`);
    expect(email.text).toContain('The Oak & Co team');
  });

  it('shows the answer body with its line breaks, escaped', async () => {
    const body = `First line\n${script}\r\nLast line`;
    const email = await rendered(inputFor('support-reply', { locale: 'en', extra: { answer: { title: 'Re <b>', body } } }));
    expect(email.html).toContain('First line<br />\n&lt;script&gt;alert(1)&lt;/script&gt;<br />\nLast line');
    expect(email.html).toContain('>Re &lt;b&gt;</h1>');
    expect(email.html).not.toContain('<script');
    expect(email.text).toContain(`First line\n${script}\nLast line`);
  });

  it('keeps subjects on one line even when a variable holds line breaks', async () => {
    const hostile = { requestId: 'r-3141', subject: 'Where is my order?\r\nBcc: attacker@example.com\n\u2028X-Spam: yes' };
    for (const locale of ['en', 'ko']) {
      for (const template of ['support-reply', 'support-acknowledgement'] as const) {
        const email = await rendered(inputFor(template, { locale, extra: { request: hostile } }));
        expect(email.subject).not.toMatch(/[\r\n\u2028\u2029\u0000-\u001f]/);
      }
    }
    const email = await rendered(inputFor('support-reply', { locale: 'en', extra: { request: hostile } }));
    expect(email.subject).toBe('Re: Where is my order? Bcc: attacker@example.com X-Spam: yes [r-3141]');
  });

  it('cuts long subjects to 200 characters', async () => {
    const email = await rendered(inputFor('support-reply', { locale: 'en', extra: { request: { requestId: 'r-1', subject: '가'.repeat(500) } } }));
    expect(Array.from(email.subject)).toHaveLength(200);
    expect(email.subject.endsWith('…')).toBe(true);
  });
});

// ---- failures -----------------------------------------------------------------------------

describe('render failures', () => {
  const temporary: string[] = [];
  afterEach(() => {
    for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A templates folder holding one English template with the given parts. */
  function templatesDirWith(template: string, parts: Record<'subject' | 'html' | 'text', string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'render-test-'));
    temporary.push(dir);
    mkdirSync(join(dir, template, 'en'), { recursive: true });
    for (const [part, source] of Object.entries(parts)) writeFileSync(join(dir, template, 'en', `${part}.liquid`), source);
    return dir;
  }

  it('fails on a variable the template uses but the caller did not give, naming template, locale and part', async () => {
    const dir = templatesDirWith('broken', { subject: 'Hello {{ customer.firstName | default: "there" }}', html: '<p>{{ order.orderId }}</p>', text: 'Order' });
    const result = await createRenderer({ templatesDir: dir }).render({ template: 'broken', locale: 'ko-KR', variables: { customer: { firstName: 'Mina' } } });
    expect(result).toEqual({ ok: false, reason: 'template broken, locale en, part html: undefined variable: order, line:1, col:7' });
  });

  it('fails on a syntax error without throwing', async () => {
    const dir = templatesDirWith('unclosed', { subject: 'Hi', html: '<p>Hi</p>', text: '{% if customer.firstName %}Hi{{ customer.firstName }}' });
    const reason = await reasonOf({ template: 'unclosed', variables: { customer: {} } }, createRenderer({ templatesDir: dir }));
    expect(reason).toMatch(/^template unclosed, locale en, part text: tag \{% if customer\.firstName %\} not closed/);
  });

  it('fails on a filter the engine does not have', async () => {
    const dir = templatesDirWith('typo', { subject: '{{ brand.name | upcasee }}', html: '<p></p>', text: '' });
    const reason = await reasonOf({ template: 'typo', variables: { brand } }, createRenderer({ templatesDir: dir }));
    expect(reason).toContain('template typo, locale en, part subject: undefined filter: upcasee');
  });

  it('fails on a subject that renders empty', async () => {
    const dir = templatesDirWith('blank', { subject: '{{ title | default: "" }}\n', html: '<p></p>', text: 'x' });
    expect(await reasonOf({ template: 'blank', variables: {} }, createRenderer({ templatesDir: dir }))).toBe(
      'template blank, locale en, part subject: renders empty',
    );
  });

  it('will not send marketing without an unsubscribe link', async () => {
    const input = inputFor('welcome', { locale: 'ko-KR' });
    const { unsubscribeUrl: _dropped, ...variables } = input.variables;
    expect(await reasonOf({ ...input, variables })).toMatch(/^template welcome, locale ko, part html: undefined variable: unsubscribeUrl/);
  });

  it('fails on missing required data and never repeats variable values', async () => {
    const reason = await reasonOf(inputFor('delay-notice', { extra: { delay: { newEstimatedDelivery: 'mina.kim@example.com' } } }));
    expect(reason).toContain('template delay-notice, locale ko, part html: date: expects an ISO 8601 date');
    expect(reason).not.toContain('mina.kim');
    expect(await reasonOf(inputFor('support-reply', { extra: { answer: undefined } }))).toMatch(/part html: undefined variable: answer\b/);
  });

  it('withholds the message of an unexpected error inside a filter or tag, which may quote a value', async () => {
    // Intl's RangeError, for one, repeats the bad value; Liquid copies the message into its own error.
    const engine = new Liquid({ strictFilters: true });
    engine.registerFilter('leaky', (value: unknown) => {
      throw new RangeError(`Invalid currency code : ${String(value)}`);
    });
    const error: unknown = await engine.parseAndRender('<p>{{ email | leaky }}</p>', { email: 'mina.kim@example.com' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(describeError(error, tmpdir())).toBe('RangeError in a filter or tag (details withheld), line:1, col:4');
  });

  it('fails on unknown templates, names that are not template names, and unknown time zones', async () => {
    expect(await reasonOf({ template: 'newsletter-9', variables: {} })).toBe('unknown template "newsletter-9"');
    expect(await reasonOf({ template: '../../etc/passwd', variables: {} })).toBe('unknown template (not a template name)');
    expect(await reasonOf({ template: '_layouts', variables: {} })).toBe('unknown template (not a template name)');
    expect(await reasonOf(inputFor('welcome', { timezone: 'Mars/Olympus' }))).toBe('template welcome, locale ko: timezone is not an IANA time zone');
  });

  it('reports a missing templates folder instead of throwing', async () => {
    const missing = createRenderer({ templatesDir: join(tmpdir(), 'no-such-templates-folder') });
    expect(missing.templates()).toEqual([]);
    expect(await reasonOf({ template: 'welcome', variables: {} }, missing)).toBe('cannot read the templates folder: Error (ENOENT)');
  });

  it('parses each template file once and renders it many times', async () => {
    const dir = templatesDirWith('cached', { subject: 'Version 1', html: '<p>1</p>', text: '1' });
    const cached = createRenderer({ templatesDir: dir });
    expect((await renderCached(cached)).subject).toBe('Version 1');
    writeFileSync(join(dir, 'cached', 'en', 'subject.liquid'), 'Version 2');
    expect((await renderCached(cached)).subject).toBe('Version 1');
    expect((await renderCached(createRenderer({ templatesDir: dir }))).subject).toBe('Version 2');

    async function renderCached(using: ReturnType<typeof createRenderer>): Promise<RenderedEmail> {
      const result = await using.render({ template: 'cached', variables: {} });
      if (!result.ok) throw new Error(result.reason);
      return result.email;
    }
  });
});
