/**
 * A line chart as inline SVG over evenly spaced periods (weeks): one line per series, broken where
 * a period has no value, a dot with a `<title>` on every value, a fixed value range with
 * gridlines, an optional reference line (zero for NPS), axis titles and a legend.
 */
import { html, type Markup } from './html-escape.ts';
import { legend, niceScale, position, px, shorten, svgChart, type ChartText } from './svg-chart-frame.ts';

export interface LineSeries {
  readonly name: string;
  /** One per period; null leaves a gap. */
  readonly values: readonly (number | null)[];
}

export interface LineChartOptions extends ChartText {
  readonly periods: readonly string[];
  readonly series: readonly LineSeries[];
  /** The value axis's range, fixed so that charts over time compare: 1–5 for CSAT, −100–100 for NPS. */
  readonly range: readonly [number, number];
  readonly periodAxisLabel: string;
  readonly valueAxisLabel: string;
  readonly format: (value: number) => string;
  /** A dashed line across the chart at this value. */
  readonly reference?: number;
}

const WIDTH = 640;
const HEIGHT = 300;
const PLOT = { left: 64, right: WIDTH - 16, top: 56, bottom: HEIGHT - 52 };
const MAX_PERIOD_LABELS = 6;

export function lineChart(options: LineChartOptions): Markup {
  const scale = niceScale(options.range[0], options.range[1], 4);
  const y = (value: number) => position(scale, Math.min(scale.max, Math.max(scale.min, value)), PLOT.bottom, PLOT.top);
  const step = (PLOT.right - PLOT.left) / Math.max(1, options.periods.length);
  const x = (index: number) => PLOT.left + step * (index + 0.5);
  const every = Math.max(1, Math.ceil(options.periods.length / MAX_PERIOD_LABELS));

  const grid = scale.ticks.map(
    (tick) =>
      html`<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(tick))}" y2="${px(y(tick))}"/><text class="tick" x="${PLOT.left - 6}" y="${px(y(tick) + 4)}" text-anchor="end">${options.format(tick)}</text>`,
  );
  const periodLabels = options.periods.map(
    (period, index) =>
      index % every === 0 && html`<text class="category" x="${px(x(index))}" y="${PLOT.bottom + 16}" text-anchor="middle">${shorten(period, 10)}</text>`,
  );
  const lines = options.series.map((series, seriesIndex) => {
    const segments: string[][] = [[]];
    series.values.forEach((value, index) => {
      if (value === null) segments.push([]);
      else segments.at(-1)?.push(`${px(x(index))},${px(y(value))}`);
    });
    const paths = segments.filter((points) => points.length > 1).map((points) => html`<polyline class="line-${seriesIndex}" points="${points.join(' ')}"/>`);
    const dots = series.values.map(
      (value, index) =>
        value !== null &&
        html`<circle class="dot-${seriesIndex}" cx="${px(x(index))}" cy="${px(y(value))}" r="3.5"><title>${options.periods[index] ?? ''}, ${series.name}: ${options.format(value)}</title></circle>`,
    );
    return html`<g class="series">${paths}${dots}</g>`;
  });
  const reference =
    options.reference !== undefined &&
    html`<line class="reference" x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(options.reference))}" y2="${px(y(options.reference))}"/>`;
  const empty = options.series.every((series) => series.values.every((value) => value === null));
  const body = html`${grid}${reference}<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/><line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>${periodLabels}${lines}${
    empty && html`<text class="muted" x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle">no data</text>`
  }<text class="axis-title" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle">${options.periodAxisLabel}</text><text class="axis-title" transform="translate(14 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">${options.valueAxisLabel}</text>${legend(
    options.series.map((series, index) => ({ name: series.name, className: `series-${index}` })),
    PLOT.left,
    38,
  )}`;
  return svgChart(options, WIDTH, HEIGHT, body);
}
