/**
 * `lifecycle report` in the terminal: short sections with aligned columns, bars of █/░ for the
 * funnel, journey conversion and the automation rate, and the CSAT/NPS trend as a small table.
 */
import {
  formatCount,
  formatCsat,
  formatDays,
  formatDuration,
  formatInstant,
  formatLift,
  formatNps,
  formatPercent,
  formatReasons,
  journeyLabel,
  NO_DATA,
} from './format.ts';
import type { Report } from './report.ts';
import { ratio } from './statistics.ts';
import { textBar } from './text-bar.ts';
import { textTable } from './text-table.ts';

const BAR_WIDTH = 20;

export function renderTerminal(report: Report): string {
  const sections = [header(report), funnel(report), daysInStage(report), journeys(report), emails(report), support(report), satisfaction(report)];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function header(report: Report): string[] {
  return [
    'LIFECYCLE REPORT',
    `source     ${report.source}`,
    `generated  ${formatInstant(report.generatedAt)}`,
    `customers  ${formatCount(report.customers)} (and ${formatCount(report.anonymousVisitors)} anonymous visitors)`,
    `events     ${formatCount(report.events.recorded)} recorded, ${formatCount(report.events.stageChanges)} stage changes`,
  ];
}

function emails(report: Report): string[] {
  const { sent, deferred, sending, skipped, skippedTotal } = report.emails;
  return [
    'EMAILS (journeys and stage notices)',
    `${formatCount(sent)} sent, ${formatCount(deferred)} deferred past quiet hours, ${formatCount(sending)} being sent, ${formatCount(skippedTotal)} skipped`,
    `skipped by reason: ${formatReasons(skipped)}`,
  ];
}

function funnel(report: Report): string[] {
  const { stages, support } = report.funnel;
  const widest = Math.max(0, ...stages.map((stage) => stage.reached));
  return [
    'FUNNEL (customers who reached each stage)',
    ...textTable(
      ['stage', '', 'reached', 'now', 'from previous'],
      stages.map((stage) => [
        stage.stage,
        textBar(ratio(stage.reached, widest), BAR_WIDTH),
        formatCount(stage.reached),
        formatCount(stage.now),
        formatPercent(stage.conversion),
      ]),
      ['left', 'left', 'right', 'right', 'right'],
    ),
    `support, apart from the progression: ${formatCount(support.now)} now, ${formatCount(support.reached)} ever`,
  ];
}

function daysInStage(report: Report): string[] {
  return [
    'MEDIAN DAYS IN STAGE',
    ...textTable(
      ['stage', 'customers', 'median'],
      report.daysInStage.map((row) => [row.stage, formatCount(row.customers), formatDays(row.medianDays)]),
      ['left', 'right', 'right'],
    ),
  ];
}

function journeys(report: Report): string[] {
  const { results, totals } = report.journeys;
  if (results.length === 0) return ['JOURNEYS', 'no journeys have run'];
  return [
    'JOURNEYS',
    ...textTable(
      ['journey', 'entered', 'converted', '', 'conversion', 'treatment', 'holdout', 'lift', 'sent', 'opened', 'clicked'],
      results.map((result) => [
        journeyLabel(result.journey, result.version),
        formatCount(result.entered),
        formatCount(result.converted),
        textBar(result.conversionRate, BAR_WIDTH),
        formatPercent(result.conversionRate),
        formatPercent(result.treatment?.rate ?? null),
        formatPercent(result.holdout?.rate ?? null),
        formatLift(result.lift),
        formatCount(result.emails.sent),
        formatCount(result.emails.opened),
        formatCount(result.emails.clicked),
      ]),
      ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
    `all journeys: ${formatCount(totals.entered)} entered, ${formatCount(totals.converted)} converted (${formatPercent(totals.conversionRate)}), ` +
      `${formatCount(totals.emails.sent)} emails sent, ${formatPercent(totals.emails.openRate)} opened, ${formatPercent(totals.emails.clickRate)} clicked`,
  ];
}

function support(report: Report): string[] {
  const summary = report.support;
  if (summary.requests === 0) return ['SUPPORT', 'no support requests'];
  const { all, automatic, escalated } = summary.firstAnswer;
  return [
    'SUPPORT',
    `${formatCount(summary.requests)} requests: ${formatCount(summary.autoAnswered)} auto-answered, ${formatCount(summary.escalated)} escalated (${formatCount(summary.open)} open)`,
    `automation rate  ${textBar(summary.automationRate, BAR_WIDTH)} ${formatPercent(summary.automationRate)}`,
    '',
    ...textTable(
      ['first answer', 'answered', 'p50', 'p90'],
      (
        [
          ['all', all],
          ['automatic', automatic],
          ['escalated', escalated],
        ] as const
      ).map(([label, times]) => [label, formatCount(times.answered), formatDuration(times.p50), formatDuration(times.p90)]),
      ['left', 'right', 'right', 'right'],
    ),
  ];
}

function satisfaction(report: Report): string[] {
  const { overall, byWeek } = report.satisfaction;
  if (overall.csat.responses + overall.nps.responses === 0) return ['SATISFACTION', 'no survey answers'];
  return [
    'SATISFACTION',
    `CSAT ${formatCsat(overall.csat.average)} of 5, ${formatPercent(overall.csat.satisfiedShare)} rated 4–5 (${formatCount(overall.csat.responses)} answers); ` +
      `NPS ${formatNps(overall.nps.score)} (${formatCount(overall.nps.responses)} answers)`,
    '',
    ...textTable(
      ['week', 'CSAT', '4–5', 'answers', 'NPS', 'answers'],
      byWeek.map((week) => [
        week.week,
        formatCsat(week.csat.average),
        formatPercent(week.csat.satisfiedShare),
        week.csat.responses > 0 ? formatCount(week.csat.responses) : NO_DATA,
        formatNps(week.nps.score),
        week.nps.responses > 0 ? formatCount(week.nps.responses) : NO_DATA,
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  ];
}
