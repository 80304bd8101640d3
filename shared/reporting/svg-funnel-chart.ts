/**
 * A funnel as inline SVG: one horizontal bar per stage, top to bottom, for the customers who
 * reached it, with the customers in it now drawn over it, and between two bars the conversion
 * from the one above. Axis titles, a legend, and each bar's figures in its `<title>`.
 */
import { html, type Markup } from './html-escape.ts';
import { legend, niceScale, position, px, svgChart, type ChartText } from './svg-chart-frame.ts';

export interface FunnelRow {
  readonly label: string;
  /** The long bar: customers who reached the stage. */
  readonly reached: number;
  /** The bar drawn over it: customers in the stage now. */
  readonly now: number;
  /** Written between this bar and the one above ("75.0% of research"); none for the first. */
  readonly stepLabel?: string;
}

export interface FunnelChartOptions extends ChartText {
  readonly rows: readonly FunnelRow[];
  readonly stageAxisLabel: string;
  readonly countAxisLabel: string;
  readonly format: (value: number) => string;
}

const WIDTH = 640;
const BAR = 26;
const GAP = 22;
const LEFT = 96;
const RIGHT = WIDTH - 56;
const TOP = 56;

export function funnelChart(options: FunnelChartOptions): Markup {
  const bottom = TOP + options.rows.length * (BAR + GAP) - GAP + 8;
  const height = bottom + 48;
  const scale = niceScale(0, Math.max(1, ...options.rows.map((row) => row.reached)), 5);
  const x = (value: number) => position(scale, Math.max(0, value), LEFT, RIGHT);

  const ticks = scale.ticks.map(
    (tick) =>
      html`<line class="grid" x1="${px(x(tick))}" x2="${px(x(tick))}" y1="${TOP}" y2="${bottom}"/><text class="tick" x="${px(x(tick))}" y="${bottom + 14}" text-anchor="middle">${options.format(tick)}</text>`,
  );
  const bars = options.rows.map((row, index) => {
    const top = TOP + index * (BAR + GAP);
    const name = `${row.label}: ${options.format(row.reached)} reached, ${options.format(row.now)} now${row.stepLabel ? ` (${row.stepLabel})` : ''}`;
    return html`<g class="funnel-row">${
      row.stepLabel && html`<text class="step" x="${LEFT + 4}" y="${top - 6}">↓ ${row.stepLabel}</text>`
    }<text class="category" x="${LEFT - 8}" y="${top + BAR / 2 + 4}" text-anchor="end">${row.label}</text><rect class="series-0" x="${LEFT}" y="${top}" width="${px(x(row.reached) - LEFT)}" height="${BAR}"><title>${name}</title></rect><rect class="series-1" x="${LEFT}" y="${top + 6}" width="${px(x(row.now) - LEFT)}" height="${BAR - 12}"><title>${name}</title></rect><text class="value" x="${px(x(row.reached) + 4)}" y="${top + BAR / 2 + 4}">${options.format(row.reached)}</text></g>`;
  });
  const body = html`${ticks}<line class="axis" x1="${LEFT}" x2="${LEFT}" y1="${TOP - 4}" y2="${bottom}"/><line class="axis" x1="${LEFT}" x2="${RIGHT}" y1="${bottom}" y2="${bottom}"/>${bars}${
    options.rows.length === 0 && html`<text class="muted" x="${(LEFT + RIGHT) / 2}" y="${TOP + 12}" text-anchor="middle">no data</text>`
  }<text class="axis-title" x="${(LEFT + RIGHT) / 2}" y="${height - 8}" text-anchor="middle">${options.countAxisLabel}</text><text class="axis-title" transform="translate(14 ${px((TOP + bottom) / 2)}) rotate(-90)" text-anchor="middle">${options.stageAxisLabel}</text>${legend(
    [
      { name: 'reached', className: 'series-0' },
      { name: 'in the stage now', className: 'series-1' },
    ],
    LEFT,
    36,
  )}`;
  return svgChart(options, WIDTH, height, body);
}
