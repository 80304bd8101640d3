/**
 * Collects the report's figures from the profile store: every profile (a parallel scan), the
 * timeline and message log of each (a query each, a few at a time), and each journey's metrics.
 */
import type { JourneyStats } from '../journeys/metrics.ts';
import { readStats } from '../journeys/metrics.ts';
import { readMessages } from '../outreach/outreach-store.ts';
import { readTimeline, type StoreDeps } from '../profile/store.ts';
import { scanProfilePages } from '../segments/profile-reads.ts';
import { SCAN_SEGMENTS } from '../segments/plan.ts';
import { customerFacts, messageFacts, profileActivity, supportFacts, surveyFacts } from './customer-facts.ts';
import type { CustomerFacts, MessageFacts, ProfileActivity, ReportData, SupportRequestFacts, SurveyFacts } from './report-data.ts';

export interface CollectDeps extends StoreDeps {
  readonly now: Date;
  /** Where the figures come from, as the report should say. */
  readonly source: string;
  /** `measuresLift`: whether the journey has a holdout step. */
  readonly journeys: readonly { readonly name: string; readonly version: number; readonly measuresLift: boolean }[];
  /** Called as customers are read. */
  readonly onProgress?: (customersRead: number) => void;
}

const PARALLEL_READS = 8;

export async function collectReportData(deps: CollectDeps): Promise<ReportData> {
  const customers: CustomerFacts[] = [];
  const profiles: ProfileActivity[] = [];
  const messages: MessageFacts[] = [];
  const support: SupportRequestFacts[] = [];
  const surveys: SurveyFacts[] = [];
  for await (const page of scanProfilePages(deps, SCAN_SEGMENTS)) {
    for (let start = 0; start < page.length; start += PARALLEL_READS) {
      const batch = page.slice(start, start + PARALLEL_READS);
      // A merged-away profile's events live on in the profile it became; its messages stay under it.
      const reads = await Promise.all(
        batch.map(async (profile) => ({
          profile,
          timeline: profile.mergedInto === undefined ? await readTimeline(deps, profile.customerId) : [],
          messages: await readMessages(deps, profile.customerId),
        })),
      );
      for (const { profile, timeline, messages: log } of reads) {
        messages.push(...log.map(messageFacts));
        if (profile.mergedInto !== undefined) continue;
        profiles.push(profileActivity(profile, timeline));
        if (!profile.identified) continue;
        customers.push(customerFacts(profile, timeline, deps.now));
        support.push(...supportFacts(timeline));
        surveys.push(...surveyFacts(profile, timeline));
      }
      deps.onProgress?.(customers.length);
    }
  }
  const journeys: JourneyStats[] = await Promise.all(deps.journeys.map((journey) => readStats(deps, journey.name, journey.version, journey.measuresLift)));
  return { generatedAt: deps.now.toISOString(), source: deps.source, customers, profiles, messages, journeys, support, surveys };
}
