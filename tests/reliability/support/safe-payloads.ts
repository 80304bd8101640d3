/**
 * Hostile text the contract accepts: markup, template syntax, header-like lines and odd Unicode in
 * names, subjects, support messages and product names are legitimate strings (people are called
 * all sorts of things), so the system must store them as they are and render them harmlessly — the
 * HTML part escaped, the subject one line, the recipients untouched.
 */
import fc from 'fast-check';
import type { EmitInput } from '#shared/events/emitter.ts';
import { expect } from 'vitest';
import type { StoredEmail } from '#tests/support/observe.ts';

/** Each one a single word, so a customer's first name (the greeting) is the whole payload. */
export const SAFE_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img/src=x/onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  '<a/href="javascript:alert(1)">x</a>',
  'javascript:alert(1)',
  '{{customer.email}}',
  '{%raw%}{{7*7}}{%endraw%}',
  '${7*7}',
  'Bcc:victim@example.com',
  '%0d%0aBcc:victim@example.com',
  '\u2028Bcc:victim@example.com',
  '\u0085Bcc:victim@example.com',
  '\u202eevil',
  'Zero\u200bWidth',
  '&lt;b&gt;',
] as const;

export type Scenario = 'lead' | 'support' | 'order';

export interface SafeCase {
  readonly scenario: Scenario;
  readonly customerId: string;
  readonly email: string;
  readonly name: string;
  readonly payload: string;
  readonly event: EmitInput;
}

/** Support messages the knowledge base answers, so the reply (subject `Re: <subject>`) is sent too. */
const QUESTIONS = ['How long does delivery take?', 'How do I clean the fabric of my sofa?', 'Can I return something I bought two weeks ago?'];

export function safeCases(count: number, seed: number): SafeCase[] {
  const scenario = fc.record({
    scenario: fc.constantFrom<Scenario>('lead', 'support', 'order'),
    payload: fc.constantFrom(...SAFE_PAYLOADS),
    lastName: fc.constantFrom('Lee', 'Kim', "O'Brien"),
    question: fc.constantFrom(...QUESTIONS),
    crlf: fc.boolean(),
  });
  return fc.sample(scenario, { seed, numRuns: count }).map(({ scenario: kind, payload, lastName, question, crlf }, n) => {
    const customerId = `c-safe-${n}`;
    const email = `safe.${n}@example.com`;
    const name = `${payload} ${lastName}`;
    const customer = { id: customerId, email, name, locale: 'en-US', timezone: 'UTC' };
    const event: EmitInput =
      kind === 'lead'
        ? {
            detailType: 'lead.captured',
            detail: { customer, data: { channel: 'signup-form', campaign: payload, consent: { email: true, topics: ['newsletter'] } } },
          }
        : kind === 'support'
          ? // Free text may hold line breaks: a header injection is only text in a message.
            {
              detailType: 'support.requested',
              detail: {
                customer,
                data: {
                  requestId: `r-safe-${n}`,
                  channel: 'email',
                  subject: `${payload} ${question}`,
                  message: `${question}${crlf ? '\r\nBcc: victim@example.com' : ` ${payload}`}`,
                },
              },
            }
          : {
              detailType: 'order.placed',
              detail: {
                customer,
                data: { orderId: `o-safe-${n}`, items: [{ productId: 'p-safe', name: payload, quantity: 1, price: 10 }], total: 10, currency: 'EUR' },
              },
            };
    return { scenario: kind, customerId, email, name, payload, event };
  });
}

const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const ACTIVE_MARKUP = /<(script|img|svg|iframe|object)\b|<a\s*\/?\s*href\s*=\s*["']?(javascript:|https:\/\/evil)/i;

const decodeEntities = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/**
 * Asserts that an email to a safe case's customer is harmless: one recipient, no header a payload
 * could have added or broken, a one-line subject, markup escaped, and the greeting showing the
 * customer's first name as it is (not evaluated as a template, not dropped).
 */
export function expectRenderedSafely(email: StoredEmail & { destination: { cc?: readonly string[]; bcc?: readonly string[] } }, safe: SafeCase): void {
  expect(email.destination.to).toEqual([safe.email]);
  expect(email.destination.cc ?? []).toEqual([]);
  expect(email.destination.bcc ?? []).toEqual([]);
  expect(email.subject).not.toMatch(LINE_BREAKS_AND_CONTROLS);
  for (const header of email.headers ?? []) {
    expect(`${header.name}: ${header.value}`).not.toMatch(/[\r\n]/);
    expect(header.name.toLowerCase()).not.toMatch(/^(bcc|cc|to|from)$/);
  }
  const html = email.body.html ?? '';
  expect(html).not.toMatch(ACTIVE_MARKUP);
  const firstName = safe.name.split(/\s+/)[0]?.trim() ?? '';
  if (firstName !== '') {
    expect(email.body.text).toContain(`Hi ${firstName},`);
    expect(decodeEntities(html)).toContain(`Hi ${firstName},`);
  }
}
