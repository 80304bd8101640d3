/** The row of headline figures at the top of the report page, each a label, a value and a detail. */
import { formatCount, formatCsat, formatDuration, formatNps, formatPercent, formatReasons } from './format.ts';
import { html, type Markup } from './html-escape.ts';
import type { Report } from './report.ts';

interface Tile {
  readonly label: string;
  readonly value: string;
  readonly detail: string;
}

export function summaryTiles(report: Report): Markup {
  const { journeys, support, satisfaction } = report;
  const retain = report.funnel.stages.find((stage) => stage.stage === 'retain');
  const tiles: Tile[] = [
    {
      label: 'Customers',
      value: formatCount(report.customers),
      detail: `${formatCount(retain?.now ?? 0)} in retain now · ${formatCount(report.anonymousVisitors)} anonymous visitors`,
    },
    { label: 'Events recorded', value: formatCount(report.events.recorded), detail: `${formatCount(report.events.stageChanges)} stage changes` },
    {
      label: 'Journey conversion',
      value: formatPercent(journeys.totals.conversionRate),
      detail: `${formatCount(journeys.totals.converted)} of ${formatCount(journeys.totals.entered)} runs`,
    },
    {
      label: 'Journey emails sent',
      value: formatCount(journeys.totals.emails.sent),
      detail: `${formatPercent(journeys.totals.emails.openRate)} opened, ${formatPercent(journeys.totals.emails.clickRate)} clicked`,
    },
    {
      label: 'Emails not sent',
      value: formatCount(report.emails.skippedTotal),
      detail: `${formatReasons(report.emails.skipped)} · ${formatCount(report.emails.deferred)} deferred`,
    },
    { label: 'Support requests', value: formatCount(support.requests), detail: `${formatCount(support.open)} open` },
    {
      label: 'Automation rate',
      value: formatPercent(support.automationRate),
      detail: `${formatCount(support.autoAnswered)} auto-answered, ${formatCount(support.escalated)} escalated`,
    },
    {
      label: 'First answer (median)',
      value: formatDuration(support.firstAnswer.all.p50),
      detail: `p90 ${formatDuration(support.firstAnswer.all.p90)}`,
    },
    {
      label: 'CSAT',
      value: formatCsat(satisfaction.overall.csat.average),
      detail: `${formatPercent(satisfaction.overall.csat.satisfiedShare)} rated 4–5 · ${formatCount(satisfaction.overall.csat.responses)} answers`,
    },
    { label: 'NPS', value: formatNps(satisfaction.overall.nps.score), detail: `${formatCount(satisfaction.overall.nps.responses)} answers` },
  ];
  return html`<section class="tiles" aria-label="Summary">${tiles.map(
    (tile) =>
      html`<div class="tile"><div class="label">${tile.label}</div><div class="value">${tile.value}</div><div class="detail">${tile.detail}</div></div>`,
  )}</section>`;
}
