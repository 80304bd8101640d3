/**
 * What every rendered email must be: a well-formed 600px HTML part and a plain-text part in one
 * language, greeting the customer, with a footer that fits its kind — marketing mail carries the
 * unsubscribe and preferences links; service mail carries neither and says it is a service email.
 */
import { expect } from 'vitest';
import type { RenderedEmail } from '#shared/outreach/render.ts';

export interface FooterLinks {
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
}

export const htmlHref = (url: string) => `href="${url.replaceAll('&', '&amp;')}"`;

export function expectFooter(email: RenderedEmail, marketing: boolean, locale: string, links: FooterLinks): void {
  if (marketing) {
    expect(email.html).toContain(htmlHref(links.unsubscribeUrl));
    expect(email.html).toContain(htmlHref(links.preferencesUrl));
    expect(email.html).toContain(locale === 'en' ? '>Unsubscribe</a>' : '>수신 거부</a>');
    expect(email.text).toContain(`${locale === 'en' ? 'Unsubscribe' : '수신 거부'}: ${links.unsubscribeUrl}`);
    expect(email.text).toContain(links.preferencesUrl);
    return;
  }
  for (const part of [email.html, email.text]) {
    expect(part).not.toContain('unsubscribe?token');
    expect(part).not.toContain('preferences?token');
    expect(part).toContain(locale === 'en' ? 'This is a service email' : '서비스 이용에 필요한 안내 메일');
  }
}

const HANGUL = /[\uac00-\ud7a3]/;

/** `phrases` must appear in both parts (HTML-escaped in the HTML part); `language` throughout. */
export function expectWellFormed(email: RenderedEmail, language: 'en' | 'ko', phrases: readonly string[]): void {
  expect(email.locale).toBe(language);
  expect(email.subject).not.toBe('');
  expect(email.subject).not.toMatch(/[\r\n]/);
  expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="[a-z]{2}-[A-Z]{2}"/);
  expect(email.html).toContain('width="600"');
  expect(email.text).not.toMatch(/<(p|table|td|br|a|ol|li|h1|h2|strong|span)\b/); // plain text carries no markup
  expect(email.text).not.toMatch(/\n{3,}/);
  for (const phrase of phrases) {
    expect(email.text).toContain(phrase);
    expect(email.html).toContain(phrase.replaceAll('&', '&amp;'));
  }
  // Korean throughout for ko, none at all in English.
  for (const part of [email.subject, email.html, email.text]) expect(HANGUL.test(part)).toBe(language === 'ko');
  expect(email.text).toContain(language === 'en' ? 'Hi Mina,' : 'Mina 님, 안녕하세요.');
}
