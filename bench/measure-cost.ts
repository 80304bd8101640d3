/**
 * The cost part of the benchmark: runs the standard workload in a fresh local cloud, prices what
 * it used, and works out the figures the results publish.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalCloud } from '#local/local-cloud.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { EnvVars } from '#shared/config.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { readStats } from '#shared/journeys/metrics.ts';
import {
  areaOf,
  costByArea,
  journeyCostUsd,
  priceUsage,
  tracedRequests,
  usageByFunction,
  writeUnitsPer,
  type CostLine,
  type FunctionUsage,
} from './cost-model.ts';
import {
  archiveRetentionDays,
  environmentValue,
  fixedMonthlyCosts,
  logRetentionDays,
  tableSettings,
  type FixedCostLine,
  type Template,
} from './fixed-costs.ts';
import { compareDesigns, type DesignCost } from './journey-designs.ts';
import { monthlyBill, type BillInputs, type MonthlyBill } from './monthly-bill.ts';
import {
  FLOOR_ITEMS,
  FLOOR_PER_1M_EVENTS_NO_EMAIL_USD,
  PINPOINT_PER_ENDPOINT_MONTH_USD,
  PINPOINT_SOURCE,
  PRICE_REGION,
  PRICE_TABLE_DATE,
  PRICES,
} from './prices.ts';
import { AWS_CALL_MS } from './lambda-duration.ts';
import { measureTable } from './storage.ts';
import { runWorkload, type WorkloadOptions } from './workload.ts';

/** The functions that record events: the hot path every business event takes. */
const isRecordFunction = (name: string) => areaOf(name) === 'hot path';
/** The journeys' own functions: the engine and the launcher. */
const isJourney = (name: string) => areaOf(name) === 'journeys';

/** The customer counts the monthly bill is published for. */
export const BILL_CUSTOMERS = [10_000, 100_000, 1_000_000] as const;

export interface CostFigures {
  readonly costPer1MEventsUsd: number;
  readonly costPer1MEventsNoEmailUsd: number;
  readonly floorPer1MEventsNoEmailUsd: number;
  /** costPer1MEventsNoEmailUsd over the floor: the design's target is 1.5 or less. */
  readonly ratioToFloor: number;
  /** What the floor includes, each item's price per event. */
  readonly floorItems: readonly { readonly item: string; readonly usd: number }[];
  /** Journeys (email aside) per entry, and per customer a month: Pinpoint billed per endpoint a month. */
  readonly journeyCostPerEntryUsd: number;
  readonly journeyCostPerCustomerMonthUsd: number;
  /** The same with Lambda duration priced otherwise: how much the figure rests on the duration model. */
  readonly journeyCostPerCustomerMonthOtherwise: {
    /** From this machine's wall clock. */
    readonly wallClockUsd: number;
    /** At twice the model's latency per awaited call. */
    readonly doubleCallLatencyUsd: number;
  };
  /** Journeys per 1M business events, next to the hot path's. */
  readonly journeysPer1MEventsUsd: number;
  readonly hotPathPer1MEventsUsd: number;
  readonly journeyEntriesPerCustomerMonth: number;
  readonly pinpointPerEndpointMonthUsd: number;
  /** What the stack costs a month with nobody using it. */
  readonly fixedMonthlyUsd: number;
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
  readonly workload: WorkloadOptions & {
    readonly events: number;
    readonly malformed: number;
    readonly byType: Readonly<Record<string, number>>;
    readonly journeyParticipants: number;
    readonly emails: number;
    readonly seconds: number;
  };
  readonly priceTable: { readonly date: string; readonly region: string; readonly prices: typeof PRICES; readonly pinpointSource: string };
  readonly fixedCosts: readonly FixedCostLine[];
  readonly monthlyBill: readonly MonthlyBill[];
  readonly billInputs: BillInputs;
  readonly journeyDesigns: readonly DesignCost[];
  /** Bytes logged in the run: function output, Lambda's own lines, Step Functions execution logs. */
  readonly logBytes: { readonly functions: number; readonly platform: number; readonly stepFunctions: number };
}

export async function measureCost(
  cloud: LocalCloud,
  options: WorkloadOptions & { readonly journeys: readonly JourneyDefinition[]; readonly template: Template },
): Promise<CostMeasurement> {
  const { journeys, template, ...workload } = options;
  const run = await runWorkload(cloud, workload);
  // Read before anything else touches the store: the reads below are not part of the workload.
  const usage = cloud.usage();
  const retention = logRetentionDays(template);
  const costing = priceUsage(usage, { logRetentionDays: retention });

  const [outputs = {}] = Object.values(cloud.outputs);
  const dynamo = new DynamoDBClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const store = { ddb: createDocumentClient(dynamo), tableName: outputs.ProfileTableName ?? '' };
  const stats = await Promise.all(journeys.map((journey) => readStats(store, journey.name, journey.version)));
  dynamo.destroy();
  const participants = stats.reduce((sum, each) => sum + each.entered, 0);
  const table = tableSettings(template);
  const stored = await measureTable(cloud.endpoint, store.tableName, table.ttlAttribute, table.indexes);

  const perMillion = (usd: number) => (usd / run.events) * 1e6;
  // Per event the record function handled: business events, and the system's own (profile.updated
  // from the nightly scoring, support.resolved, …), each recorded the same way.
  const recorded = Object.entries(usage.lambda)
    .filter(([name]) => isRecordFunction(name))
    .reduce((sum, [, each]) => sum + each.requests, 0);
  const hotPath = writeUnitsPer(usage, isRecordFunction, recorded);
  const all = writeUnitsPer(usage, () => true, run.events);
  const noEmail = perMillion(costing.totalUsd - costing.emailUsd);
  const months = workload.days / 30;
  const perCustomerMonth = (usd: number) => usd / workload.customers / months;
  const journeysUsd = journeyCostUsd(usage, isJourney, { logRetentionDays: retention });
  const counts = { entries: participants, customers: workload.customers, months };
  const fixedCosts = fixedMonthlyCosts(template, { journeyVersions: journeys.length });
  const fixedMonthlyUsd = fixedCosts.reduce((sum, each) => sum + each.usdPerMonth, 0);
  const xrayUsd = costing.lines.find((line) => line.item.startsWith('X-Ray'))?.usd ?? 0;
  const billInputs: BillInputs = {
    variablePerCustomerMonthUsd: perCustomerMonth(costing.totalUsd - xrayUsd),
    tracedPerCustomerMonth: perCustomerMonth(tracedRequests(usage)),
    lastingBytesPerCustomer: stored.lasting / workload.customers,
    expiringBytesPerCustomerMonth: perCustomerMonth(stored.expiring),
    timelineRetentionMonths: Number(environmentValue(template, EnvVars.TimelineRetentionDays) ?? 730) / 30,
    pitr: table.pitr,
    archivedBytesPerCustomerMonth: perCustomerMonth(usage.eventBridge.eventBytes),
    archiveRetentionMonths: archiveRetentionDays(template) / 30,
    fixedMonthlyUsd,
  };
  const area = (name: string) => costByArea(usage, { logRetentionDays: retention }).find((each) => each.area === name)?.usd ?? 0;
  return {
    figures: {
      costPer1MEventsUsd: perMillion(costing.totalUsd),
      costPer1MEventsNoEmailUsd: noEmail,
      floorPer1MEventsNoEmailUsd: FLOOR_PER_1M_EVENTS_NO_EMAIL_USD,
      floorItems: FLOOR_ITEMS,
      ratioToFloor: noEmail / FLOOR_PER_1M_EVENTS_NO_EMAIL_USD,
      journeyCostPerEntryUsd: participants === 0 ? 0 : journeysUsd / participants,
      journeyCostPerCustomerMonthUsd: perCustomerMonth(journeysUsd),
      journeyCostPerCustomerMonthOtherwise: {
        wallClockUsd: perCustomerMonth(journeyCostUsd(usage, isJourney, { logRetentionDays: retention, duration: { kind: 'wall-clock' } })),
        doubleCallLatencyUsd: perCustomerMonth(
          journeyCostUsd(usage, isJourney, { logRetentionDays: retention, duration: { kind: 'model', callMs: 2 * AWS_CALL_MS } }),
        ),
      },
      journeysPer1MEventsUsd: perMillion(journeysUsd),
      hotPathPer1MEventsUsd: perMillion(area('hot path')),
      journeyEntriesPerCustomerMonth: perCustomerMonth(participants),
      pinpointPerEndpointMonthUsd: PINPOINT_PER_ENDPOINT_MONTH_USD,
      fixedMonthlyUsd,
      writeUnitsPerEvent: hotPath.table,
      indexWriteUnitsPerEvent: hotPath.index,
      allWriteUnitsPerEvent: all.table + all.index,
      emailsPer1MEvents: (usage.ses.messages / run.events) * 1e6,
    },
    lines: costing.lines,
    functions: usageByFunction(usage),
    areas: costByArea(usage, { logRetentionDays: retention }).map(({ area, usd }) => ({ area, per1MEventsUsd: perMillion(usd) })),
    workload: {
      ...workload,
      events: run.events,
      malformed: run.malformed,
      byType: run.byType,
      journeyParticipants: participants,
      emails: usage.ses.messages,
      seconds: run.seconds,
    },
    priceTable: { date: PRICE_TABLE_DATE, region: PRICE_REGION, prices: PRICES, pinpointSource: PINPOINT_SOURCE },
    fixedCosts,
    monthlyBill: BILL_CUSTOMERS.map((customers) => monthlyBill(billInputs, customers)),
    billInputs,
    journeyDesigns: compareDesigns(journeysUsd, counts),
    logBytes: {
      functions: Object.values(usage.lambda).reduce((sum, each) => sum + each.logBytes, 0),
      platform: Object.values(usage.lambda).reduce((sum, each) => sum + each.platformLogBytes, 0),
      stepFunctions: Object.values(usage.stepFunctions.logBytes).reduce((sum, bytes) => sum + bytes, 0),
    },
  };
}
