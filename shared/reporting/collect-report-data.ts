/**
 * Collects the report's figures from the profile store: every customer's profile (a parallel scan)
 * and timeline (one query each, a few at a time), and each journey's metrics.
 */
import type { JourneyStats } from '../journeys/metrics.ts';
import { readStats } from '../journeys/metrics.ts';
import { readTimeline, type StoreDeps } from '../profile/store.ts';
import { scanProfilePages } from '../segments/profile-reads.ts';
import { SCAN_SEGMENTS } from '../segments/plan.ts';
import { customerFacts, supportFacts, surveyFacts } from './customer-facts.ts';
import type { CustomerFacts, ReportData, SupportRequestFacts, SurveyFacts } from './report-data.ts';

export interface CollectDeps extends StoreDeps {
  readonly now: Date;
  /** Where the figures come from, as the report should say. */
  readonly source: string;
  readonly journeys: readonly { readonly name: string; readonly version: number }[];
  /** Called as customers are read. */
  readonly onProgress?: (customersRead: number) => void;
}

const PARALLEL_TIMELINES = 8;

export async function collectReportData(deps: CollectDeps): Promise<ReportData> {
  const customers: CustomerFacts[] = [];
  const support: SupportRequestFacts[] = [];
  const surveys: SurveyFacts[] = [];
  for await (const page of scanProfilePages(deps, SCAN_SEGMENTS)) {
    const known = page.filter((profile) => profile.identified && profile.mergedInto === undefined);
    for (let start = 0; start < known.length; start += PARALLEL_TIMELINES) {
      const batch = known.slice(start, start + PARALLEL_TIMELINES);
      const timelines = await Promise.all(batch.map((profile) => readTimeline(deps, profile.customerId)));
      batch.forEach((profile, index) => {
        const timeline = timelines[index] ?? [];
        customers.push(customerFacts(profile, timeline, deps.now));
        support.push(...supportFacts(timeline));
        surveys.push(...surveyFacts(profile, timeline));
      });
      deps.onProgress?.(customers.length);
    }
  }
  const journeys: JourneyStats[] = await Promise.all(deps.journeys.map((journey) => readStats(deps, journey.name, journey.version)));
  return { generatedAt: deps.now.toISOString(), source: deps.source, customers, journeys, support, surveys };
}
