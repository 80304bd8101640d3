/**
 * Markup for the console's pages: htm's tagged templates over preact, rendered to a string on the
 * server. Values are escaped as preact escapes them, so nothing a customer typed becomes markup.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Lang, Translate } from './i18n.ts';

export { html };

const NAV = [
  ['/journeys', 'nav.journeys'],
  ['/segments', 'nav.segments'],
  ['/templates', 'nav.templates'],
  ['/reports', 'nav.reports'],
  ['/operations', 'nav.operations'],
] as const;

export interface Shell {
  readonly title: string;
  readonly lang: Lang;
  readonly t: Translate;
  readonly path: string;
  readonly refresh?: number;
}

/** The whole document: header with navigation, customer search and the language switch, then the page. */
export function renderDocument(shell: Shell, body: VNode): string {
  const { t, lang, path } = shell;
  const other: Lang = lang === 'en' ? 'ko' : 'en';
  const tree = html`
    <html lang=${lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${
          // Without scripts the page reloads itself; with them it asks for a little JSON instead (client/console.ts).
          shell.refresh === undefined ? null : html`<noscript><meta http-equiv="refresh" content=${String(shell.refresh)} /></noscript>`
        }
        <title>${shell.title} · ${t('app.title')}</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">${t('nav.skip')}</a>
        <header>
          <a class="brand" href="/journeys">${t('app.title')}</a>
          <nav aria-label=${t('app.title')}>
            <ul>
              ${NAV.map(([href, key]) => html`<li><a href=${href} aria-current=${path.startsWith(href) ? 'page' : undefined}>${t(key)}</a></li>`)}
            </ul>
          </nav>
          <form class="search" action="/customers" method="get" role="search">
            <label for="customer-search" class="visually-hidden">${t('search.label')}</label>
            <input id="customer-search" name="q" type="search" placeholder=${t('search.label')} required />
            <button type="submit">${t('search.button')}</button>
          </form>
          <form class="lang" action="/language" method="post">
            <input type="hidden" name="lang" value=${other} />
            <input type="hidden" name="back" value=${path} />
            <button type="submit" lang=${other}>${t('lang.switch')}</button>
          </form>
        </header>
        <main id="main" tabindex="-1">
          <h1>${shell.title}</h1>
          ${body}
        </main>
      </body>
    </html>
  `;
  return `<!doctype html>${renderToString(tree)}`;
}

/** A table that scrolls sideways inside its own box, so a narrow screen never scrolls the page. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[], caption?: string): VNode {
  return html`
    <div class="table-scroll" tabindex="0" role="region" aria-label=${caption ?? headers.join(', ')}>
      <table>
        ${caption ? html`<caption>${caption}</caption>` : null}
        <thead><tr>${headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead>
        <tbody>${rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell as string}</td>`)}</tr>`)}</tbody>
      </table>
    </div>
  `;
}
