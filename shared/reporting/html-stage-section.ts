/**
 * The stages on the report page: the funnel with the conversion between stages, support counted
 * apart, and the median days customers spend in each stage.
 */
import { formatCount, formatDays, formatPercent, formatShort } from './format.ts';
import { html, type Markup } from './html-escape.ts';
import { htmlTable } from './html-table.ts';
import type { Report } from './report.ts';
import { barChart } from './svg-bar-chart.ts';
import { funnelChart } from './svg-funnel-chart.ts';

export function stageSection(report: Report): Markup {
  const { stages, support } = report.funnel;
  const funnel = funnelChart({
    id: 'funnel',
    title: 'Funnel: customers who reached each stage',
    description: `Customers who ever reached each stage, and those in it now, from discover to retain; ${stages
      .map((stage) => `${stage.stage} ${stage.reached} reached, ${stage.now} now`)
      .join('; ')}.`,
    rows: stages.map((stage, index) => ({
      label: stage.stage,
      reached: stage.reached,
      now: stage.now,
      ...(index > 0 && { stepLabel: `${formatPercent(stage.conversion)} of ${stages[index - 1]?.stage ?? ''}` }),
    })),
    stageAxisLabel: 'stage',
    countAxisLabel: 'customers',
    format: (value) => formatCount(Math.round(value)),
  });
  const table = htmlTable({
    caption: 'Customers by stage',
    headers: ['stage', 'now', 'reached', 'from previous stage'],
    rows: [
      ...stages.map((stage) => [stage.stage, formatCount(stage.now), formatCount(stage.reached), formatPercent(stage.conversion)]),
      ['support (apart)', formatCount(support.now), formatCount(support.reached), '—'],
    ],
    numeric: [1, 2, 3],
  });
  const days = barChart({
    id: 'days-in-stage',
    title: 'Median days in each stage',
    description: `Median of the days customers have spent in each stage so far; ${report.daysInStage
      .map((row) => `${row.stage} ${formatDays(row.medianDays)} over ${row.customers} customers`)
      .join('; ')}.`,
    categories: report.daysInStage.map((row) => row.stage),
    series: [{ name: 'median days', values: report.daysInStage.map((row) => row.medianDays) }],
    categoryAxisLabel: 'stage',
    valueAxisLabel: 'days (median)',
    format: (value) => formatShort(value),
    minimumMax: 1,
  });
  return html`<section aria-labelledby="stages-heading"><h2 id="stages-heading">Stages</h2><div class="row"><div>${funnel}<p class="note">Conversion is the share of customers who reached the stage above who also reached this one; it can pass 100% when customers skip a stage. Support sits outside the progression: ${formatCount(support.now)} customers are in support now, ${formatCount(support.reached)} have ever been.</p></div><div>${table}</div></div><div class="row"><div>${days}</div><div>${htmlTable(
    {
      caption: 'Days in stage',
      headers: ['stage', 'customers', 'median days'],
      rows: report.daysInStage.map((row) => [row.stage, formatCount(row.customers), formatDays(row.medianDays)]),
      numeric: [1, 2],
    },
  )}</div></div></section>`;
}
