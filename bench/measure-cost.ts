/**
 * The cost part of the benchmark: runs the standard workload in a fresh local cloud, prices what
 * it used, and works out the figures the results publish.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalCloud } from '#local/local-cloud.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { readStats } from '#shared/journeys/metrics.ts';
import { areaOf, costByArea, journeyCostUsd, priceUsage, usageByFunction, writeUnitsPer, type CostLine, type FunctionUsage } from './cost-model.ts';
import { FLOOR_PER_1M_EVENTS_NO_EMAIL_USD, PINPOINT_PER_ENDPOINT_MONTH_USD, PINPOINT_SOURCE, PRICE_REGION, PRICE_TABLE_DATE, PRICES } from './prices.ts';
import { runWorkload, type WorkloadOptions } from './workload.ts';

/** The functions that record events: the hot path every business event takes. */
const isRecordFunction = (name: string) => areaOf(name) === 'hot path';
/** The journeys' own functions: their runtime and their launcher. */
const isJourneyFunction = (name: string) => areaOf(name) === 'journeys';

export interface CostFigures {
  readonly costPer1MEventsUsd: number;
  readonly costPer1MEventsNoEmailUsd: number;
  readonly floorPer1MEventsNoEmailUsd: number;
  /** costPer1MEventsNoEmailUsd over the floor: the design's target is 1.5 or less. */
  readonly ratioToFloor: number;
  readonly costPerJourneyParticipantUsd: number;
  readonly pinpointPerEndpointMonthUsd: number;
  /** Table write units per event the record function handled: the hot path (target ≤ 2). */
  readonly writeUnitsPerEvent: number;
  /** Stage-index write units per event recorded: the entry moves when the stage or the day of last activity changes. */
  readonly indexWriteUnitsPerEvent: number;
  /** Every write unit of the run (table and index) per business event: outreach, journeys, scores and all. */
  readonly allWriteUnitsPerEvent: number;
  readonly emailsPer1MEvents: number;
}

export interface CostMeasurement {
  readonly figures: CostFigures;
  readonly lines: readonly CostLine[];
  readonly functions: readonly FunctionUsage[];
  /** The total per part of the system, in USD per 1M business events. */
  readonly areas: readonly { readonly area: string; readonly per1MEventsUsd: number }[];
  readonly workload: WorkloadOptions & { readonly events: number; readonly malformed: number; readonly byType: Readonly<Record<string, number>>; readonly journeyParticipants: number; readonly emails: number; readonly seconds: number };
  readonly priceTable: { readonly date: string; readonly region: string; readonly prices: typeof PRICES; readonly pinpointSource: string };
}

export async function measureCost(cloud: LocalCloud, options: WorkloadOptions & { readonly journeys: readonly JourneyDefinition[] }): Promise<CostMeasurement> {
  const { journeys, ...workload } = options;
  const run = await runWorkload(cloud, workload);
  // Read before anything else touches the store: the reads below are not part of the workload.
  const usage = cloud.usage();
  const costing = priceUsage(usage);

  const [outputs = {}] = Object.values(cloud.outputs);
  const dynamo = new DynamoDBClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const store = { ddb: createDocumentClient(dynamo), tableName: outputs.ProfileTableName ?? '' };
  const stats = await Promise.all(journeys.map((journey) => readStats(store, journey.name, journey.version)));
  dynamo.destroy();
  const participants = stats.reduce((sum, each) => sum + each.entered, 0);

  const perMillion = (usd: number) => (usd / run.events) * 1e6;
  // Per event the record function handled: business events, and the system's own (profile.updated
  // from the nightly scoring, support.resolved, …), each recorded the same way.
  const recorded = Object.entries(usage.lambda).filter(([name]) => isRecordFunction(name)).reduce((sum, [, each]) => sum + each.requests, 0);
  const hotPath = writeUnitsPer(usage, isRecordFunction, recorded);
  const all = writeUnitsPer(usage, () => true, run.events);
  const noEmail = perMillion(costing.totalUsd - costing.emailUsd);
  return {
    figures: {
      costPer1MEventsUsd: perMillion(costing.totalUsd),
      costPer1MEventsNoEmailUsd: noEmail,
      floorPer1MEventsNoEmailUsd: FLOOR_PER_1M_EVENTS_NO_EMAIL_USD,
      ratioToFloor: noEmail / FLOOR_PER_1M_EVENTS_NO_EMAIL_USD,
      costPerJourneyParticipantUsd: participants === 0 ? 0 : journeyCostUsd(usage, isJourneyFunction) / participants,
      pinpointPerEndpointMonthUsd: PINPOINT_PER_ENDPOINT_MONTH_USD,
      writeUnitsPerEvent: hotPath.table,
      indexWriteUnitsPerEvent: hotPath.index,
      allWriteUnitsPerEvent: all.table + all.index,
      emailsPer1MEvents: (usage.ses.messages / run.events) * 1e6,
    },
    lines: costing.lines,
    functions: usageByFunction(usage),
    areas: costByArea(usage).map(({ area, usd }) => ({ area, per1MEventsUsd: perMillion(usd) })),
    workload: { ...workload, events: run.events, malformed: run.malformed, byType: run.byType, journeyParticipants: participants, emails: usage.ses.messages, seconds: run.seconds },
    priceTable: { date: PRICE_TABLE_DATE, region: PRICE_REGION, prices: PRICES, pinpointSource: PINPOINT_SOURCE },
  };
}
