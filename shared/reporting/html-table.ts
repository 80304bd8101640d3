/** Tables on the report page: a caption, a header row, and cells escaped like all other text. */
import { html, type HtmlValue, type Markup } from './html-escape.ts';

export interface HtmlTableOptions {
  readonly caption: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly HtmlValue[])[];
  /** Columns right-aligned as numbers, by index; the first column is the row's name. */
  readonly numeric?: readonly number[];
  /** Said in a single row spanning the table when there are no rows. */
  readonly empty?: string;
}

export function htmlTable(options: HtmlTableOptions): Markup {
  const numeric = new Set(options.numeric ?? []);
  const cellClass = (column: number) => (numeric.has(column) ? 'num' : undefined);
  const head = options.headers.map((header, column) => html`<th scope="col"${classAttribute(cellClass(column))}>${header}</th>`);
  const body =
    options.rows.length === 0
      ? html`<tr><td class="muted" colspan="${options.headers.length}">${options.empty ?? 'no data'}</td></tr>`
      : options.rows.map(
          (row) =>
            html`<tr>${row.map((cell, column) =>
              column === 0 ? html`<th scope="row">${cell}</th>` : html`<td${classAttribute(cellClass(column))}>${cell}</td>`,
            )}</tr>`,
        );
  return html`<table><caption>${options.caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function classAttribute(name: string | undefined): Markup {
  return name ? html` class="${name}"` : html``;
}
