/**
 * Support on the report page: the automation rate as a donut, the time to a first answer (median
 * and 90th percentile) overall, automatic and escalated, and requests by channel.
 */
import { formatCount, formatDuration, formatPercent } from './format.ts';
import { html, type Markup } from './html-escape.ts';
import { htmlTable } from './html-table.ts';
import type { Report } from './report.ts';
import { donutChart } from './svg-donut-chart.ts';

export function supportSection(report: Report): Markup {
  const support = report.support;
  const { all, automatic, escalated } = support.firstAnswer;
  const donut = donutChart({
    id: 'automation-rate',
    title: 'Automation rate',
    description: `Requests settled by the automatic reply among those acted on: ${formatPercent(support.automationRate)} (${support.autoAnswered} auto-answered, ${support.escalated} escalated).`,
    share: support.automationRate,
    centerLabel: formatPercent(support.automationRate, 0),
    partLabel: `auto-answered ${formatCount(support.autoAnswered)}`,
    restLabel: `escalated ${formatCount(support.escalated)}`,
  });
  const times = htmlTable({
    caption: 'Time to first answer',
    headers: ['requests', 'answered', 'p50', 'p90'],
    rows: (
      [
        ['all', all],
        ['automatic', automatic],
        ['escalated', escalated],
      ] as const
    ).map(([label, row]) => [label, formatCount(row.answered), formatDuration(row.p50), formatDuration(row.p90)]),
    numeric: [1, 2, 3],
  });
  const channels = htmlTable({
    caption: 'Requests by channel',
    headers: ['channel', 'requests', 'automation rate', 'first answer p50'],
    rows: support.byChannel.map((row) => [row.channel, formatCount(row.requests), formatPercent(row.automationRate), formatDuration(row.p50)]),
    numeric: [1, 2, 3],
    empty: 'No support requests.',
  });
  return html`<section aria-labelledby="support-heading"><h2 id="support-heading">Support</h2><p class="note">${formatCount(support.requests)} requests: ${formatCount(support.autoAnswered)} auto-answered, ${formatCount(support.escalated)} escalated (${formatCount(support.open)} open).</p><div class="row"><div>${donut}</div><div>${times}${channels}</div></div></section>`;
}
