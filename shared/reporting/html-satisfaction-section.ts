/**
 * Satisfaction on the report page: CSAT and NPS week by week as line charts, and both by stage
 * and by channel as small tables.
 */
import { formatCount, formatCsat, formatNps, formatPercent, formatShort, NO_DATA } from './format.ts';
import { html, type Markup } from './html-escape.ts';
import { htmlTable } from './html-table.ts';
import type { Report, Satisfaction } from './report.ts';
import { lineChart } from './svg-line-chart.ts';

const HEADERS = ['CSAT', 'rated 4–5', 'answers', 'NPS', 'answers'];

export function satisfactionSection(report: Report): Markup {
  const { overall, byWeek, byStage, byChannel } = report.satisfaction;
  const weeks = byWeek.map((week) => week.week);
  const csat = lineChart({
    id: 'csat-by-week',
    title: 'CSAT by week',
    description: `Average CSAT score (1 to 5) per ISO week; ${byWeek.map((week) => `${week.week} ${formatCsat(week.csat.average)}`).join(', ') || 'no answers'}.`,
    periods: weeks,
    series: [{ name: 'average CSAT', values: byWeek.map((week) => week.csat.average) }],
    range: [1, 5],
    periodAxisLabel: 'ISO week',
    valueAxisLabel: 'CSAT (1–5)',
    format: (value) => formatShort(value, 2),
  });
  const nps = lineChart({
    id: 'nps-by-week',
    title: 'NPS by week',
    description: `Net promoter score (−100 to 100) per ISO week; ${byWeek.map((week) => `${week.week} ${formatNps(week.nps.score)}`).join(', ') || 'no answers'}.`,
    periods: weeks,
    series: [{ name: 'NPS', values: byWeek.map((week) => week.nps.score) }],
    range: [-100, 100],
    periodAxisLabel: 'ISO week',
    valueAxisLabel: 'NPS (−100 to 100)',
    format: (value) => formatShort(value),
    reference: 0,
  });
  const table = (caption: string, label: string, rows: readonly { readonly name: string; readonly figures: Satisfaction }[]) =>
    htmlTable({
      caption,
      headers: [label, ...HEADERS],
      rows: rows.map(({ name, figures }) => [name, ...cells(figures)]),
      numeric: [1, 2, 3, 4, 5],
      empty: 'No survey answers.',
    });
  return html`<section aria-labelledby="satisfaction-heading"><h2 id="satisfaction-heading">Satisfaction</h2><p class="note">Overall: CSAT ${formatCsat(overall.csat.average)} of 5, ${formatPercent(overall.csat.satisfiedShare)} rated 4–5 (${formatCount(overall.csat.responses)} answers); NPS ${formatNps(overall.nps.score)} from ${formatCount(overall.nps.promoters)} promoters, ${formatCount(overall.nps.passives)} passives and ${formatCount(overall.nps.detractors)} detractors.</p><div class="row"><div>${csat}</div><div>${nps}</div></div><div class="row"><div>${table(
    'By stage when answering',
    'stage',
    byStage.map((row) => ({ name: row.stage, figures: row })),
  )}</div><div>${table(
    'By channel',
    'channel',
    byChannel.map((row) => ({ name: row.channel ?? '(none)', figures: row })),
  )}</div></div></section>`;
}

function cells(figures: Satisfaction): string[] {
  return [
    formatCsat(figures.csat.average),
    formatPercent(figures.csat.satisfiedShare),
    figures.csat.responses > 0 ? formatCount(figures.csat.responses) : NO_DATA,
    formatNps(figures.nps.score),
    figures.nps.responses > 0 ? formatCount(figures.nps.responses) : NO_DATA,
  ];
}
