/**
 * A customer's contribution to the report, read from their profile, timeline and message log: the
 * stages they went through and the days spent in each, the events recorded and the stage changes,
 * their support requests and how each was answered, their emails and what became of each, and
 * their survey answers with the stage they were in when they gave them. Pure, for unit tests.
 */
import { LIFECYCLE_SOURCE } from '../events/catalog.ts';
import type { MessageRecord } from '../outreach/outreach-store.ts';
import type { Profile } from '../profile/profile.ts';
import { stageHistoryOf, type TimelineEntry } from '../profile/timeline.ts';
import type { Stage } from '../stages/stages.ts';
import type { CustomerFacts, MessageFacts, ProfileActivity, SupportRequestFacts, SurveyFacts } from './report-data.ts';

const DAY_MS = 86_400_000;

interface Period {
  readonly stage: Stage;
  readonly from: number;
}

/** Where the customer was, from when: discover at first sight, then each stage change. */
function stagePeriods(profile: Profile, timeline: readonly TimelineEntry[]): Period[] {
  const periods: Period[] = [{ stage: 'discover', from: Date.parse(profile.firstSeenAt) }];
  for (const step of stageHistoryOf(timeline)) periods.push({ stage: step.to, from: Date.parse(step.at) });
  return periods.sort((a, b) => a.from - b.from);
}

function stageAt(periods: readonly Period[], at: number): Stage {
  return periods.filter((period) => period.from <= at).at(-1)?.stage ?? 'discover';
}

export function customerFacts(profile: Profile, timeline: readonly TimelineEntry[], now: Date): CustomerFacts {
  const periods = stagePeriods(profile, timeline);
  const daysInStage: Partial<Record<Stage, number>> = {};
  periods.forEach((period, index) => {
    const until = periods[index + 1]?.from ?? now.getTime();
    daysInStage[period.stage] = (daysInStage[period.stage] ?? 0) + Math.max(0, until - period.from) / DAY_MS;
  });
  const stagesReached = [...new Set([...periods.map((period) => period.stage), profile.stage])];
  return { stage: profile.stage, stagesReached, daysInStage, ...(profile.attribution?.first.channel && { channel: profile.attribution.first.channel }) };
}

const dataOf = (entry: TimelineEntry) => (entry.data ?? {}) as Record<string, unknown>;

/**
 * Each request: answered by the knowledge base, or escalated (answered when an agent resolved it,
 * open until then); a request that reached us late is escalated too, never dropped.
 * Time to the first answer counts from when the customer asked; for an automatic answer, from when
 * the system received the question (a request reported late was not the knowledge base's delay).
 */
export function supportFacts(timeline: readonly TimelineEntry[]): SupportRequestFacts[] {
  const resolutions = new Map(timeline.filter((entry) => entry.detailType === 'support.resolved').map((entry) => [String(dataOf(entry).requestId), entry]));
  return timeline
    .filter((entry) => entry.detailType === 'support.requested')
    .map((entry) => {
      const resolved = resolutions.get(String(dataOf(entry).requestId));
      const automatic = resolved !== undefined && dataOf(resolved).answeredBy === 'knowledge-base';
      const asked = Date.parse(automatic ? entry.recordedAt : entry.occurredAt);
      const seconds = resolved ? Math.max(0, (Date.parse(resolved.occurredAt) - asked) / 1000) : undefined;
      return {
        requestedAt: entry.occurredAt,
        channel: String(dataOf(entry).channel ?? 'unknown'),
        outcome: automatic ? 'auto-answered' : 'escalated',
        ...(seconds !== undefined && { firstAnswerSeconds: seconds }),
      };
    });
}

export function profileActivity(profile: Profile, timeline: readonly TimelineEntry[]): ProfileActivity {
  return {
    identified: profile.identified,
    businessEvents: timeline.filter((entry) => entry.source !== LIFECYCLE_SOURCE).length,
    stageChanges: timeline.filter((entry) => entry.stageChange !== undefined).length,
  };
}

export function messageFacts(message: MessageRecord): MessageFacts {
  return { status: message.status, ...(message.reason && { reason: message.reason }) };
}

export function surveyFacts(profile: Profile, timeline: readonly TimelineEntry[]): SurveyFacts[] {
  const periods = stagePeriods(profile, timeline);
  return timeline
    .filter((entry) => entry.detailType === 'survey.responded')
    .map((entry) => {
      const data = dataOf(entry);
      return {
        kind: data.kind === 'nps' ? 'nps' : 'csat',
        score: Number(data.score),
        at: entry.occurredAt,
        // The stage the customer was in when they answered, not the one the answer moved them to.
        stage: stageAt(periods, Date.parse(entry.occurredAt) - 1),
        ...(profile.attribution?.first.channel && { channel: profile.attribution.first.channel }),
      };
    });
}
