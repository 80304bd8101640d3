/**
 * Journeys on the report page: conversion of treated runs against held-out runs, one pair of bars
 * per journey, and a table with every journey's figures.
 */
import { formatCount, formatLift, formatPercent, formatShortPercent, journeyLabel } from './format.ts';
import { html, type Markup } from './html-escape.ts';
import { htmlTable } from './html-table.ts';
import type { GroupResult, Report } from './report.ts';
import { barChart } from './svg-bar-chart.ts';

export function journeySection(report: Report): Markup {
  const { results } = report.journeys;
  const labels = results.map((result) => journeyLabel(result.journey, result.version));
  const chart = barChart({
    id: 'journey-conversion',
    title: 'Journey conversion: treatment vs holdout',
    description:
      results.length === 0
        ? 'No journeys have run.'
        : `Share of runs that reached the journey's goal, for runs that got the messages and runs held out; ${results
            .map(
              (result, index) =>
                `${labels[index]}: ${result.holdout ? `treatment ${formatPercent(result.treatment?.rate ?? null)}, holdout ${formatPercent(result.holdout.rate)}` : `${formatPercent(result.conversionRate)}, no holdout`}`,
            )
            .join('; ')}.`,
    categories: labels,
    series: [
      // Without a holdout step every run was treated.
      { name: 'treatment', values: results.map((result) => (result.treatment ? result.treatment.rate : result.conversionRate)) },
      { name: 'holdout', values: results.map((result) => result.holdout?.rate ?? null) },
    ],
    categoryAxisLabel: 'journey',
    valueAxisLabel: 'conversion rate',
    format: formatShortPercent,
    minimumMax: 0.1,
  });
  const table = htmlTable({
    caption: 'Journey figures',
    headers: ['journey', 'entered', 'active', 'converted', 'conversion', 'treatment', 'holdout', 'lift', 'sent', 'opened', 'clicked'],
    rows: results.map((result, index) => [
      labels[index],
      formatCount(result.entered),
      formatCount(result.active),
      formatCount(result.converted),
      formatPercent(result.conversionRate),
      group(result.treatment),
      group(result.holdout),
      formatLift(result.lift),
      formatCount(result.emails.sent),
      `${formatCount(result.emails.opened)} (${formatPercent(result.emails.openRate)})`,
      `${formatCount(result.emails.clicked)} (${formatPercent(result.emails.clickRate)})`,
    ]),
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    empty: 'No journeys have run.',
  });
  return html`<section aria-labelledby="journeys-heading"><h2 id="journeys-heading">Journeys</h2><div class="row"><div>${chart}</div></div>${table}<p class="note">Lift is (treatment rate − holdout rate) / holdout rate: how much more often treated runs converted. A journey without a holdout step treats every run and measures no lift.</p></section>`;
}

function group(result: GroupResult | null): string {
  if (result === null) return 'no holdout step';
  return `${formatPercent(result.rate)} (${formatCount(result.converted)}/${formatCount(result.entered)})`;
}
