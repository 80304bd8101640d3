/**
 * A donut as inline SVG for one share of a whole (the automation rate): the share as an arc,
 * the rest as the remaining ring, the percentage in the middle and a legend with the counts.
 */
import { html, type Markup } from './html-escape.ts';
import { px, svgChart, type ChartText } from './svg-chart-frame.ts';

export interface DonutChartOptions extends ChartText {
  /** In [0, 1]; null draws an empty ring that says "no data". */
  readonly share: number | null;
  readonly centerLabel: string;
  /** The share's part and the rest's, with their counts: "auto-answered 28". */
  readonly partLabel: string;
  readonly restLabel: string;
}

const WIDTH = 320;
const HEIGHT = 220;
const CX = 90;
const CY = 124;
const RADIUS = 62;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

export function donutChart(options: DonutChartOptions): Markup {
  const share = options.share === null ? 0 : Math.min(1, Math.max(0, options.share));
  const arc =
    options.share !== null &&
    html`<circle class="donut-part" cx="${CX}" cy="${CY}" r="${RADIUS}" stroke-dasharray="${px(share * CIRCUMFERENCE)} ${px(CIRCUMFERENCE)}" transform="rotate(-90 ${CX} ${CY})"><title>${options.partLabel}</title></circle>`;
  const body = html`<circle class="donut-rest" cx="${CX}" cy="${CY}" r="${RADIUS}"><title>${options.restLabel}</title></circle>${arc}<text class="donut-value" x="${CX}" y="${CY + 8}" text-anchor="middle">${options.share === null ? 'no data' : options.centerLabel}</text><g class="legend"><rect class="series-0" x="${CX + RADIUS + 30}" y="${CY - 22}" width="10" height="10"/><text x="${CX + RADIUS + 44}" y="${CY - 13}">${options.partLabel}</text><rect class="series-rest" x="${CX + RADIUS + 30}" y="${CY + 4}" width="10" height="10"/><text x="${CX + RADIUS + 44}" y="${CY + 13}">${options.restLabel}</text></g>`;
  return svgChart(options, WIDTH, HEIGHT, body);
}
