/**
 * Pinpoint's message variables (Handlebars) as Liquid. `{{User.UserAttributes.X}}`,
 * `{{Attributes.X}}` and `{{Metrics.X}}` read the profile attribute the import wrote for them;
 * a missing one renders empty, as in Pinpoint, or as the template's default substitution.
 * `{{Address}}` and `Demographic` read the profile's email, locale and time zone.
 * `{{#if}}`, `{{#unless}}`, `{{else}}` and the case helpers translate; other helpers and blocks
 * (`{{#each}}`, `{{#with}}`, `{{#eq}}`, …) are listed and left in the text inside a Liquid comment.
 */
import { attributeName } from './names.ts';

export interface LiquidText {
  readonly text: string;
  /** Profile values the template reads: variable name → path in the profile (a send step's `fromProfile`). */
  readonly fromProfile: Readonly<Record<string, string>>;
  /** What could not be translated, as written in the template. */
  readonly untranslated: readonly string[];
}

const HELPER_FILTERS: Readonly<Record<string, string>> = { upper: 'upcase', lower: 'downcase', capitalize: 'capitalize' };

const PATH = /^[A-Za-z_][\w.-]*$/;

/** A Handlebars path as a Liquid variable, noting what it needs from the profile. */
function variable(path: string, needs: Record<string, string>): string | undefined {
  const [root, ...rest] = path.split('.');
  const tail = rest.join('.');
  if (path.startsWith('User.UserAttributes.') || root === 'Attributes' || root === 'Metrics') {
    needs.attributes = 'attributes';
    return `attributes.${attributeName(path.startsWith('User.') ? rest.slice(1).join('.') : tail)}`;
  }
  if (path === 'Location.City' || path === 'Location.Country') {
    needs.attributes = 'attributes';
    return `attributes.${path === 'Location.City' ? 'city' : 'country'}`;
  }
  if (path === 'User.UserId') {
    needs.customerId = 'customerId';
    return 'customerId';
  }
  if (path === 'Address') {
    needs.address = 'email';
    return 'address';
  }
  // Not `locale` and `timezone`: the renderer sets those to the template's language and the zone dates are shown in.
  if (path === 'Demographic.Locale') {
    needs.customerLocale = 'locale';
    return 'customerLocale';
  }
  if (path === 'Demographic.Timezone') {
    needs.customerTimezone = 'timezone';
    return 'customerTimezone';
  }
  return undefined;
}

/** A Liquid string literal, which has no escapes: quoted with the quote the text lacks (a `"` in text with both becomes `'`). */
const quoted = (text: string) => (!text.includes('"') ? `"${text}"` : !text.includes("'") ? `'${text}'` : `"${text.replace(/"/g, "'")}"`);

/** Literal text: Liquid's own markers in it are kept literal. */
const literal = (text: string) => text.replace(/\{%|%\}|\{\{|\}\}/g, (marker) => `{% raw %}${marker}{% endraw %}`);

/**
 * @param defaults - Pinpoint's `DefaultSubstitutions`: the value of a variable a customer lacks
 */
export function handlebarsToLiquid(source: string, defaults: Readonly<Record<string, string>> = {}): LiquidText {
  const needs: Record<string, string> = {};
  const untranslated: string[] = [];
  const open: ('if' | 'unless' | 'other')[] = [];
  let out = '';
  let last = 0;
  const tag = /\{\{\{?([\s\S]*?)\}?\}\}/g;
  for (let match = tag.exec(source); match; match = tag.exec(source)) {
    out += literal(source.slice(last, match.index));
    last = tag.lastIndex;
    const whole = match[0];
    const inner = (match[1] ?? '').trim();
    const keep = () => {
      untranslated.push(whole);
      out += `{% comment %}untranslated: ${whole.replace(/%\}/g, '% }')}{% endcomment %}`;
    };
    if (inner.startsWith('!')) continue;
    const words = inner.split(/\s+/);
    const [head = '', argument] = words;
    if (head === 'else' && words.length === 1) {
      if (open.at(-1) === 'other') keep();
      else out += '{% else %}';
      continue;
    }
    if ((head === '#if' || head === '#unless') && words.length === 2 && argument) {
      const name = variable(argument, needs);
      if (!name) {
        open.push('other');
        keep();
        continue;
      }
      open.push(head === '#if' ? 'if' : 'unless');
      out += `{% ${head.slice(1)} ${name} %}`;
      continue;
    }
    if (head.startsWith('#')) {
      open.push('other');
      keep();
      continue;
    }
    if (head.startsWith('/')) {
      const closing = open.pop();
      if (closing === 'if' || closing === 'unless') out += `{% end${closing} %}`;
      else keep();
      continue;
    }
    const filter = words.length === 2 && argument ? HELPER_FILTERS[head] : undefined;
    const path = filter ? (argument as string) : words.length === 1 ? head : undefined;
    const name = path && PATH.test(path) ? variable(path, needs) : undefined;
    if (!name || !path) {
      keep();
      continue;
    }
    out += `{{ ${name} | default: ${quoted(defaults[path] ?? '')}${filter ? ` | ${filter}` : ''} }}`;
  }
  out += literal(source.slice(last));
  return { text: out, fromProfile: needs, untranslated };
}
