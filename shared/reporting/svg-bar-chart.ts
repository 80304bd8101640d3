/**
 * A vertical bar chart as inline SVG: one group of bars per category, one bar per series (one
 * series is a plain bar chart), a value axis from zero with gridlines, axis titles, a legend when
 * there is more than one series, and each bar's value written above it and in its `<title>`.
 */
import { html, type Markup } from './html-escape.ts';
import { legend, niceScale, position, px, shorten, svgChart, type ChartText } from './svg-chart-frame.ts';

export interface BarSeries {
  readonly name: string;
  /** One per category; null draws no bar and says "no data". Negative values are drawn as zero. */
  readonly values: readonly (number | null)[];
}

export interface BarChartOptions extends ChartText {
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  readonly categoryAxisLabel: string;
  readonly valueAxisLabel: string;
  /** How values and ticks read: `(share) => "40%"`. */
  readonly format: (value: number) => string;
  /** The value axis's top at least (1 for shares). */
  readonly minimumMax?: number;
}

const WIDTH = 640;
const HEIGHT = 320;
const PLOT = { left: 64, right: WIDTH - 16, top: 56, bottom: HEIGHT - 58 };

export function barChart(options: BarChartOptions): Markup {
  const values = options.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
  const scale = niceScale(0, Math.max(options.minimumMax ?? 0, ...values), 5);
  const y = (value: number) => position(scale, Math.max(0, value), PLOT.bottom, PLOT.top);
  const groupWidth = (PLOT.right - PLOT.left) / Math.max(1, options.categories.length);
  const barWidth = Math.min(48, (groupWidth * 0.75) / Math.max(1, options.series.length));
  const labelLength = Math.max(4, Math.floor(groupWidth / 7.5));

  const grid = scale.ticks.map(
    (tick) =>
      html`<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(tick))}" y2="${px(y(tick))}"/><text class="tick" x="${PLOT.left - 6}" y="${px(y(tick) + 4)}" text-anchor="end">${options.format(tick)}</text>`,
  );
  const groups = options.categories.map((category, index) => {
    const center = PLOT.left + groupWidth * (index + 0.5);
    const first = center - (barWidth * options.series.length) / 2;
    const bars = options.series.map((series, seriesIndex) => {
      const value = series.values[index] ?? null;
      const x = first + barWidth * seriesIndex;
      const label = value === null ? 'no data' : options.format(value);
      const name = options.series.length > 1 ? `${category}, ${series.name}: ${label}` : `${category}: ${label}`;
      if (value === null)
        return html`<text class="value muted" x="${px(x + barWidth / 2)}" y="${PLOT.bottom - 4}" text-anchor="middle"><title>${name}</title>–</text>`;
      const top = y(value);
      return html`<rect class="series-${seriesIndex}" x="${px(x + 1)}" y="${px(top)}" width="${px(barWidth - 2)}" height="${px(PLOT.bottom - top)}"><title>${name}</title></rect><text class="value" x="${px(x + barWidth / 2)}" y="${px(top - 4)}" text-anchor="middle">${label}</text>`;
    });
    return html`<g class="bar-group">${bars}<text class="category" x="${px(center)}" y="${PLOT.bottom + 16}" text-anchor="middle">${shorten(category, labelLength)}</text></g>`;
  });
  const body = html`${grid}<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/><line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>${groups}${
    options.categories.length === 0 &&
    html`<text class="muted" x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle">no data</text>`
  }<text class="axis-title" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle">${options.categoryAxisLabel}</text><text class="axis-title" transform="translate(14 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">${options.valueAxisLabel}</text>${
    options.series.length > 1 &&
    legend(
      options.series.map((series, index) => ({ name: series.name, className: `series-${index}` })),
      PLOT.left,
      38,
    )
  }`;
  return svgChart(options, WIDTH, HEIGHT, body);
}
