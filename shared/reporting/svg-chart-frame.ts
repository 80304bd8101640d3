/**
 * What every chart on the report page shares: the `<svg>` element with its accessible name and
 * description, a visible title, round tick values for an axis, and coordinates kept short.
 */
import { html, type HtmlValue, type Markup } from './html-escape.ts';

export interface ChartText {
  /** Unique on the page; the title's and description's ids derive from it. */
  readonly id: string;
  /** Shown above the chart and read out as the chart's name. */
  readonly title: string;
  /** Read out after the title: what the chart shows, in words. */
  readonly description: string;
}

/** A chart: an `<svg>` sized by its view box, named by its `<title>` and described by its `<desc>`. */
export function svgChart(text: ChartText, width: number, height: number, body: HtmlValue): Markup {
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${text.id}-title ${text.id}-desc"><title id="${text.id}-title">${text.title}</title><desc id="${text.id}-desc">${text.description}</desc><text class="chart-title" x="0" y="16">${text.title}</text>${body}</svg>`;
}

/** A coordinate rounded to a tenth, so that the markup stays short; never NaN. */
export function px(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : 0;
}

/** A label cut to `max` characters, with an ellipsis when cut. */
export function shorten(label: string, max: number): string {
  const characters = [...label];
  return characters.length <= max ? label : `${characters.slice(0, Math.max(1, max - 1)).join('')}…`;
}

export interface Scale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/**
 * An axis from `min` to at least `max` in round steps (1, 2 or 5 times a power of ten), with
 * about `count` ticks. An empty range becomes 0 to 1.
 */
export function niceScale(min: number, max: number, count = 5): Scale {
  const low = Number.isFinite(min) ? min : 0;
  const high = Number.isFinite(max) && max > low ? max : low + 1;
  const rough = (high - low) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const start = Math.floor(low / step) * step;
  const end = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let tick = start; tick <= end + step / 2; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return { min: start, max: end, ticks };
}

/** Where a value falls on an axis that runs from `from` (at scale.min) to `to` (at scale.max). */
export function position(scale: Scale, value: number, from: number, to: number): number {
  const span = scale.max - scale.min || 1;
  return from + ((value - scale.min) / span) * (to - from);
}

/** Entries of a legend in a row, each a swatch and a name. */
export function legend(entries: readonly { readonly name: string; readonly className: string }[], x: number, y: number): Markup {
  let offset = x;
  const items = entries.map((entry) => {
    const item = html`<g class="legend-item"><rect class="${entry.className}" x="${px(offset)}" y="${y - 9}" width="10" height="10"/><text x="${px(offset + 14)}" y="${y}">${entry.name}</text></g>`;
    offset += 24 + [...entry.name].length * 6.5;
    return item;
  });
  return html`<g class="legend">${items}</g>`;
}
