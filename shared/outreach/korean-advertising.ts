/**
 * Korea's rules for advertising email (정보통신망법 Article 50 and its enforcement decree), applied
 * by the sender to every email it renders in Korean, whatever the template says:
 *
 * - marketing email: the subject starts with `(광고)`, and the body ends with a Korean notice of
 *   who sends it (name and contact details) and how to refuse further mail, free of charge, with
 *   the unsubscribe link;
 * - transactional email (an order, a reply, a legally required notice) is no advertising: it never
 *   carries the marker or the notice, even if a template wrote one into its subject.
 *
 * Email in other languages is left as rendered.
 */
import { escapeHtml } from '../reporting/html-escape.ts';
import type { RenderedEmail } from './render.ts';

/** Who sends advertising email, as the law asks it be shown. */
export interface Advertiser {
  /** The sender's name (the company, or the person responsible). */
  readonly name: string;
  /** How to reach the sender: an email address, a phone number, a postal address. */
  readonly contact: string;
}

export const ADVERTISING_MARK = '(광고)';

// `(광고)` as a template may have written it, with the spaces after it (full-width parentheses too).
const LEADING_MARKS = /^(?:\s*[(（]\s*광고\s*[)）]\s*)+/u;

const isKorean = (locale: string): boolean => locale.toLowerCase() === 'ko' || locale.toLowerCase().startsWith('ko-');

/** The notice's lines, in Korean. */
function noticeLines(advertiser: Advertiser): { readonly sender: string; readonly contact: string; readonly refuse: string } {
  return {
    sender: `광고성 정보 전송자: ${advertiser.name}`,
    contact: `연락처: ${advertiser.contact}`,
    refuse: '이 메일의 수신을 원하지 않으시면 아래 수신 거부 링크를 눌러 주세요. 수신 거부는 무료이며 즉시 처리됩니다.',
  };
}

function htmlNotice(advertiser: Advertiser, unsubscribeUrl: string): string {
  const lines = noticeLines(advertiser);
  const style =
    "margin:0 auto;padding:16px 24px 32px;max-width:600px;font-family:-apple-system,BlinkMacSystemFont,'Apple SD Gothic Neo','Malgun Gothic','맑은 고딕','Noto Sans KR',sans-serif;font-size:12px;line-height:1.7;color:#52525b;word-break:keep-all;";
  return `<div role="contentinfo" lang="ko" style="${style}">
<p style="margin:0;">${escapeHtml(lines.sender)}<br>${escapeHtml(lines.contact)}</p>
<p style="margin:8px 0 0;">${escapeHtml(lines.refuse)} <a href="${escapeHtml(unsubscribeUrl)}" style="color:#3f3f46;text-decoration:underline;">수신 거부</a></p>
</div>`;
}

function textNotice(advertiser: Advertiser, unsubscribeUrl: string): string {
  const lines = noticeLines(advertiser);
  return `\n\n--\n${lines.sender}\n${lines.contact}\n${lines.refuse}\n수신 거부: ${unsubscribeUrl}\n`;
}

/** Puts the notice at the end of the body: before `</body>` when there is one. */
function appendToHtml(html: string, notice: string): string {
  const end = html.toLowerCase().lastIndexOf('</body>');
  return end === -1 ? `${html}\n${notice}` : `${html.slice(0, end)}${notice}\n${html.slice(end)}`;
}

/** What the sender knows of the email: its kind, and for marketing the signed unsubscribe link. */
export type EmailKindWithLink = { readonly kind: 'transactional' } | { readonly kind: 'marketing'; readonly unsubscribeUrl: string };

/**
 * @example
 * const email = applyKoreanAdvertisingRules(rendered, { kind: 'marketing', unsubscribeUrl }, { name: '오크앤램프', contact: 'help@shop.example · 02-123-4567' });
 */
export function applyKoreanAdvertisingRules(email: RenderedEmail, sent: EmailKindWithLink, advertiser: Advertiser): RenderedEmail {
  if (!isKorean(email.locale)) return email;
  const subject = email.subject.replace(LEADING_MARKS, '');
  if (sent.kind === 'transactional') return { ...email, subject };
  return {
    ...email,
    subject: `${ADVERTISING_MARK} ${subject}`,
    html: appendToHtml(email.html, htmlNotice(advertiser, sent.unsubscribeUrl)),
    text: `${email.text.trimEnd()}${textNotice(advertiser, sent.unsubscribeUrl)}`,
  };
}
