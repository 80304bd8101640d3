/**
 * GetEmailTemplate responses as Liquid templates in this project's layout:
 * `<name>/en/{subject,html,text}.liquid`, the html and text parts inside the shared frame (brand,
 * greeting, and the footer with the unsubscribe links every marketing email carries). Pinpoint's
 * HTML is usually a whole document: its body goes in the frame. Without a text part, one is made
 * from the HTML.
 */
import { handlebarsToLiquid } from './handlebars.ts';
import { blocking, note, type Issue } from './issues.ts';
import { kebabName, unique } from './names.ts';
import type { TemplateRef } from './journey-steps.ts';
import type { EmailTemplateResponse } from './shapes.ts';

export interface TranslatedTemplate extends TemplateRef {
  readonly source: EmailTemplateResponse;
  /** File name (in `<name>/en/`) → content. */
  readonly files: Readonly<Record<string, string>>;
  readonly issues: readonly Issue[];
}

function bodyOf(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  return (body?.[1] ?? html).trim();
}

/** A plain-text rendering of simple HTML: breaks at blocks, no tags, the common entities. */
function textOf(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li|\/tr)[^>]*>/gi, '\n')
    .replace(/<a [^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2 ($1)')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function defaultsOf(source: EmailTemplateResponse, issues: Issue[]): Record<string, string> {
  if (!source.DefaultSubstitutions) return {};
  try {
    const parsed = JSON.parse(source.DefaultSubstitutions) as unknown;
    if (parsed && typeof parsed === 'object') return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
  } catch {
    // Reported below.
  }
  issues.push(note('DefaultSubstitutions', 'not a JSON object: no defaults used'));
  return {};
}

export function translateTemplate(source: EmailTemplateResponse, taken: Set<string>): TranslatedTemplate {
  const name = unique(kebabName(source.TemplateName, 64, 'template'), taken, 64);
  const issues: Issue[] = [];
  const defaults = defaultsOf(source, issues);
  if (!source.Subject) issues.push(blocking('Subject', 'the template has no subject'));
  if (!source.HtmlPart && !source.TextPart) issues.push(blocking('HtmlPart', 'the template has neither an HTML nor a text part'));
  const subject = handlebarsToLiquid(source.Subject ?? source.TemplateName, defaults);
  const html = handlebarsToLiquid(source.HtmlPart ? bodyOf(source.HtmlPart) : (source.TextPart ?? '').replace(/\n/g, '<br>\n'), defaults);
  if (!source.TextPart) issues.push(note('TextPart', 'none in Pinpoint: made from the HTML part'));
  const text = handlebarsToLiquid(source.TextPart ?? textOf(source.HtmlPart ? bodyOf(source.HtmlPart) : ''), defaults);
  for (const [part, translated] of [
    ['Subject', subject],
    ['HtmlPart', html],
    ['TextPart', text],
  ] as const) {
    for (const piece of new Set(translated.untranslated)) issues.push(blocking(part, `${piece} could not be translated to Liquid`));
  }
  issues.push(note('locale', 'written as the English template (en); add a folder per language for the others'));
  issues.push(note('frame', "the shared frame adds a greeting, a sign-off and the footer with the unsubscribe links: remove the template's own"));
  const files = {
    'subject.liquid': `${subject.text.replace(/\s+/g, ' ').trim()}\n`,
    'html.liquid': `{% layout '_layouts/en/html.liquid' kind: 'marketing' %}\n{% block content %}\n${html.text}\n{% endblock %}\n`,
    'text.liquid': `{% layout '_layouts/en/text.liquid' kind: 'marketing' %}\n{% block content -%}\n${text.text}\n{%- endblock %}\n`,
  };
  return {
    source,
    name,
    files,
    fromProfile: { ...subject.fromProfile, ...html.fromProfile, ...text.fromProfile },
    blocked: issues.some((issue) => issue.blocking),
    issues,
  };
}
