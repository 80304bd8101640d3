/**
 * `lifecycle report`'s arithmetic: collected figures in, a report ready to print or draw out.
 * Pure: the same data always gives the same report.
 */
import { activityOf, emailOutcomesOf } from './activity-figures.ts';
import { journeySummaryOf } from './journey-results.ts';
import type { ReportData } from './report-data.ts';
import type { Report } from './report.ts';
import { satisfactionSummaryOf } from './satisfaction-summary.ts';
import { daysInStageOf, funnelOf } from './stage-figures.ts';
import { supportSummaryOf } from './support-summary.ts';

export function buildReport(data: ReportData): Report {
  return {
    generatedAt: data.generatedAt,
    source: data.source,
    customers: data.customers.length,
    ...activityOf(data.profiles),
    emails: emailOutcomesOf(data.messages),
    funnel: funnelOf(data.customers),
    daysInStage: daysInStageOf(data.customers),
    journeys: journeySummaryOf(data.journeys),
    support: supportSummaryOf(data.support),
    satisfaction: satisfactionSummaryOf(data.surveys),
  };
}
