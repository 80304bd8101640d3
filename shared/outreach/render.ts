/**
 * Renders the email templates (Liquid, in the repository) into the subject, HTML and text of one
 * email. The sender Lambda sends nothing that fails to render, so every problem — unknown
 * template, missing variable, syntax error, bad filter input — comes back as `{ ok: false, reason }`
 * naming template, locale and part: never as a throw, and never with a variable's value in it.
 *
 * On disk: <templatesDir>/<template>/<locale>/{subject,html,text}.liquid. The html and text parts
 * extend a shared frame, <templatesDir>/_layouts/<locale>/{html,text}.liquid, with {% layout %}.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import { isTimeZone } from '../events/fields.ts';
import { describeError } from './render-errors.ts';
import { registerFilters } from './render-filters.ts';
import { cleanSubject, tidyHtml, tidyText } from './render-output.ts';

export interface RenderInput {
  readonly template: string;
  /** BCP 47, e.g. ko-KR; picks the template language with fallback: ko-KR → ko → en. */
  readonly locale?: string;
  readonly timezone?: string; // IANA, for dates; default 'UTC'
  readonly variables: Readonly<Record<string, unknown>>;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** The template language used, e.g. `ko` for ko-KR, or `en` when it fell back. */
  readonly locale: string;
}

export type RenderResult = { readonly ok: true; readonly email: RenderedEmail } | { readonly ok: false; readonly reason: string };

export interface Renderer {
  render(input: RenderInput): Promise<RenderResult>;
  /** Template names available. */
  templates(): string[];
  /** Locales a template has. */
  locales(template: string): string[];
}

/** Where the templates are: next to this module in the repository. */
export const REPOSITORY_TEMPLATES_DIR: string = fileURLToPath(new URL('./templates', import.meta.url));

/** The language every template has, and the last step of every fallback. */
export const DEFAULT_LOCALE = 'en';

export const TEMPLATE_PARTS = ['subject', 'html', 'text'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

// Template folders have plain names; support folders such as `_layouts` start with "_".
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const LOCALE_FOLDER = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

type Failure = { readonly ok: false; readonly reason: string };
type Catalog = { readonly ok: true; readonly templates: ReadonlyMap<string, readonly string[]> } | Failure;

const failure = (reason: string): Failure => ({ ok: false, reason });

/** @param templatesDir the folder holding the template folders (shared/outreach/templates in the repository; a copy next to the Lambda bundle in AWS). */
export function createRenderer(options: { templatesDir: string }): Renderer {
  const dir = resolve(options.templatesDir);
  const engines = { html: createEngine(dir, true), plain: createEngine(dir, false) };
  // The folder is part of the deployed bundle and does not change while the process runs.
  let catalog: Catalog | undefined;
  const templatesOnDisk = (): Catalog => (catalog ??= scanTemplates(dir));

  return {
    templates() {
      const found = templatesOnDisk();
      return found.ok ? [...found.templates.keys()] : [];
    },
    locales(template) {
      const found = templatesOnDisk();
      return found.ok ? [...(found.templates.get(template) ?? [])] : [];
    },
    async render(input) {
      try {
        return await renderEmail({ dir, engines, catalog: templatesOnDisk() }, input);
      } catch (error) {
        // Everything expected is handled inside; this keeps the promise from ever rejecting.
        return failure(`unexpected error: ${describeError(error, dir)}`);
      }
    },
  };
}

function createEngine(root: string, escapeHtml: boolean): Liquid {
  const engine = new Liquid({
    root,
    // Layouts are named from the templates folder (`_layouts/en/html.liquid`), nothing relative.
    relativeReference: false,
    // Each file is parsed once and then rendered from memory: parts via parseFile, layouts via {% layout %}.
    cache: true,
    strictVariables: true,
    strictFilters: true,
    // An absent variable may be tested with {% if %} or `| default:` (that is how templates mark
    // data optional); used anywhere else it is an error.
    lenientIf: true,
    ownPropertyOnly: true,
    ...(escapeHtml && { outputEscape: 'escape' as const }),
  });
  registerFilters(engine);
  return engine;
}

function scanTemplates(dir: string): Catalog {
  try {
    const templates = new Map<string, readonly string[]>();
    for (const name of subfolders(dir, TEMPLATE_NAME)) templates.set(name, subfolders(join(dir, name), LOCALE_FOLDER));
    return { ok: true, templates };
  } catch (error) {
    return failure(`cannot read the templates folder: ${describeError(error, dir)}`);
  }
}

function subfolders(dir: string, name: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && name.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

interface RenderContext {
  readonly dir: string;
  readonly engines: { readonly html: Liquid; readonly plain: Liquid };
  readonly catalog: Catalog;
}

interface Choice {
  readonly template: string;
  /** The template language used, one of the template's locale folders. */
  readonly locale: string;
  readonly requested: Intl.Locale | undefined;
}

/** The template and language to render, or why there is none. */
function choose(catalog: Catalog, input: RenderInput): Choice | Failure {
  if (!catalog.ok) return catalog;
  const template = input.template;
  const locales = typeof template === 'string' ? catalog.templates.get(template) : undefined;
  if (locales === undefined) {
    return failure(TEMPLATE_NAME.test(String(template)) ? `unknown template "${template}"` : 'unknown template (not a template name)');
  }
  const requested = parseLocale(input.locale);
  const locale = pickLocale(locales, requested);
  if (locale === undefined) return failure(`template ${template} has no ${DEFAULT_LOCALE} version to fall back to`);
  return { template, locale, requested };
}

async function renderEmail(context: RenderContext, input: RenderInput): Promise<RenderResult> {
  const choice = choose(context.catalog, input);
  if ('ok' in choice) return choice;
  const { template, locale, requested } = choice;
  const timezone = input.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) return failure(`template ${template}, locale ${locale}: timezone is not an IANA time zone`);
  if (typeof input.variables !== 'object' || input.variables === null) return failure(`template ${template}: variables must be an object`);

  // `locale` and `timezone` always come from the render, so the filters and `lang` agree with the text.
  const scope = { ...input.variables, locale: formatLocale(locale, requested), timezone };
  const renderPart = async (part: TemplatePart): Promise<{ readonly ok: true; readonly output: string } | Failure> => {
    const engine = part === 'html' ? context.engines.html : context.engines.plain;
    try {
      const parsed = await engine.parseFile(`${template}/${locale}/${part}.liquid`);
      return { ok: true, output: await engine.render(parsed, scope) };
    } catch (error) {
      return failure(`template ${template}, locale ${locale}, part ${part}: ${describeError(error, context.dir)}`);
    }
  };

  // One part after the other, so the reason names the first failing part every time.
  const subject = await renderPart('subject');
  if (!subject.ok) return subject;
  const html = await renderPart('html');
  if (!html.ok) return html;
  const text = await renderPart('text');
  if (!text.ok) return text;

  const cleanedSubject = cleanSubject(subject.output);
  if (cleanedSubject === '') return failure(`template ${template}, locale ${locale}, part subject: renders empty`);
  return { ok: true, email: { subject: cleanedSubject, html: tidyHtml(html.output), text: tidyText(text.output), locale } };
}

/** An unparsable tag counts as no preference: the customer still gets the email, in English. */
function parseLocale(tag: string | undefined): Intl.Locale | undefined {
  if (typeof tag !== 'string') return undefined;
  try {
    return new Intl.Locale(tag);
  } catch {
    return undefined;
  }
}

/** ko-Kore-KR → ko-Kore-KR, ko-Kore, ko, then English: the first one the template has. */
function pickLocale(available: readonly string[], requested: Intl.Locale | undefined): string | undefined {
  const subtags = requested ? requested.baseName.split('-') : [];
  const candidates = [...subtags.map((_, dropped) => subtags.slice(0, subtags.length - dropped).join('-')), DEFAULT_LOCALE];
  for (const candidate of candidates) {
    const found = available.find((locale) => locale.toLowerCase() === candidate.toLowerCase());
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The locale numbers and dates are formatted in. It follows the language the email is written in
 * ("dimanche 29 novembre" would read oddly in the English email a French customer falls back to)
 * and keeps the customer's region for conventions such as day before month (en-FR: "29 November").
 */
function formatLocale(templateLocale: string, requested: Intl.Locale | undefined): string {
  const written = new Intl.Locale(templateLocale);
  if (requested === undefined) return written.baseName;
  if (requested.language === written.language) return requested.baseName;
  return requested.region ? new Intl.Locale(written.language, { region: requested.region }).baseName : written.baseName;
}
