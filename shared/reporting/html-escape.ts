/**
 * Escaping for the report page. `html` is a template tag that escapes every value put into it
 * unless it is already `Markup` (the result of another `html`), so text from the data (journey
 * names, channels, the source) can only ever land on the page as text.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** Text that is already HTML: made by `html`, or by `trustedMarkup` for this code's own markup. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A value `html` accepts: text and numbers are escaped, markup kept, lists joined, nothing left out. */
export type HtmlValue = string | number | Markup | null | undefined | false | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Markup {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(text);
}

/** Markup written in this code base (the style sheet), never text from the data. */
export function trustedMarkup(text: string): Markup {
  return new Markup(text);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}
