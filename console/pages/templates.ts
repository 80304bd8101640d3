/**
 * `/templates` and `/templates/<name>`: every email template rendered by the sender's renderer with
 * sample data, in English and Korean, its HTML at desktop and phone width and its text.
 */
import { REPOSITORY_TEMPLATES_DIR, createRenderer, type RenderResult } from '#shared/outreach/render.ts';
import { html, table } from '../html.ts';
import { page, type Page } from '../page.ts';
import { TEMPLATE_SAMPLE } from '../template-sample.ts';

const renderer = createRenderer({ templatesDir: REPOSITORY_TEMPLATES_DIR });
const LOCALES = [
  ['en', 'en-US', 'America/New_York'],
  ['ko', 'ko-KR', 'Asia/Seoul'],
] as const;
/** An email client's usual width, and a phone's. */
const WIDTHS = [600, 360] as const;

const render = (template: string, locale: string, timezone: string): Promise<RenderResult> =>
  renderer.render({ template, locale, timezone, variables: TEMPLATE_SAMPLE });

export const templatesPage: Page = async (context) => {
  const { t } = context;
  const names = renderer.templates().sort();
  const subjects = await Promise.all(names.map((name) => Promise.all(LOCALES.map(([, locale, zone]) => render(name, locale, zone)))));
  return page(
    t('templates.title'),
    table(
      [t('col.template'), 'English', '한국어'],
      names.map((name, index) => [
        html`<a href=${`/templates/${name}`}>${name}</a>`,
        ...(subjects[index] ?? []).map((result) => (result.ok ? result.email.subject : html`<span class="error">${result.reason}</span>`)),
      ]),
    ),
  );
};

export const templatePage: Page = async (context) => {
  const [name = ''] = context.params;
  if (!renderer.templates().includes(name)) return page('404', html`<p>${name}</p>`, { status: 404 });
  const results = await Promise.all(LOCALES.map(([, locale, zone]) => render(name, locale, zone)));
  return page(
    name,
    html`${LOCALES.map(([lang], index) => {
      const result = results[index];
      if (!result?.ok) return html`<h2 lang=${lang}>${lang}</h2><p class="error">${result?.reason}</p>`;
      return html`
        <section lang=${lang} aria-labelledby=${`subject-${lang}`}>
          <h2 id=${`subject-${lang}`} data-subject=${lang}>${result.email.subject}</h2>
          <div class="previews">
            ${WIDTHS.map((width) => html`<div class="graph-scroll"><iframe class="email-preview" title=${`${name} ${lang} ${width}px`} width=${width} height="640" sandbox="" srcdoc=${result.email.html}></iframe></div>`)}
          </div>
          <pre class="source">${result.email.text}</pre>
        </section>
      `;
    })}`,
  );
};
