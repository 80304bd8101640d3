/**
 * Prices what a workload used in the local cloud (`LocalCloud.usage()`) with the price table:
 * one line per billable item, the total, and the share of it journeys account for.
 */
import type { CloudUsage } from '#local/local-cloud.ts';
import { billedGbSeconds, codeMs, type DurationBasis } from './lambda-duration.ts';
import { PRICES, type Price } from './prices.ts';

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}

export interface Costing {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** The email part of the total (SES messages). */
  readonly emailUsd: number;
}

const GB = 1024 ** 3;

/** X-Ray's default sampling rule: the first request each second, then 5 % of the rest. */
export const XRAY_SAMPLING_RATE = 0.05;
export const XRAY_RESERVOIR_PER_SECOND = 1;

function line(item: string, quantity: number, price: Price): CostLine {
  return { item, quantity, unit: price.per, usd: quantity * price.usd };
}

/** Which functions' usage counts: all of them, or those a predicate picks (e.g. the journeys'). */
type FunctionFilter = (functionName: string) => boolean;

function lambdaTotals(usage: CloudUsage, include: FunctionFilter, basis?: DurationBasis) {
  const picked = Object.entries(usage.lambda).filter(([name]) => include(name));
  const sum = (of: (each: CloudUsage['lambda'][string]) => number) => picked.reduce((total, [, each]) => total + of(each), 0);
  return {
    requests: sum((each) => each.requests),
    gbSeconds: sum((each) => billedGbSeconds(each, basis)),
    wallGbSeconds: sum((each) => each.wallGbSeconds),
    logBytes: sum((each) => each.logBytes),
    platformLogBytes: sum((each) => each.platformLogBytes),
    tracedRequests: sum((each) => (each.tracing ? each.requests : 0)),
  };
}

/** Bytes the state machines a predicate picks (by name) would deliver as execution logs. */
function machineLogBytes(usage: CloudUsage, include: FunctionFilter): number {
  return Object.entries(usage.stepFunctions.logBytes).reduce((sum, [name, bytes]) => sum + (include(name) ? bytes : 0), 0);
}

/**
 * What logs cost per GB ingested, storage for the retention included: each GB is kept
 * `retentionDays` and billed per GB-month stored.
 */
export function logsUsdPerGb(retentionDays: number): number {
  return PRICES.logsGigabyte.usd + PRICES.logsStoredGbMonth.usd * (retentionDays / 30);
}

/** Requests and executions that X-Ray may trace: functions and state machines with tracing on. */
export function tracedRequests(usage: CloudUsage): number {
  return lambdaTotals(usage, () => true).tracedRequests + usage.stepFunctions.tracedExecutions;
}

function dynamoTotals(usage: CloudUsage, callers: FunctionFilter) {
  const picked = Object.entries(usage.dynamodb.byCaller).filter(([caller]) => callers(caller));
  return {
    writeUnits: picked.reduce((sum, [, each]) => sum + each.writeUnits + each.indexWriteUnits, 0),
    readUnits: picked.reduce((sum, [, each]) => sum + each.readUnits, 0),
  };
}

export interface PricingOptions {
  /** How long the log groups keep what they ingest. @default 30 */
  readonly logRetentionDays?: number;
  /** How Lambda duration is priced. @default the model, at its latency per call */
  readonly duration?: DurationBasis;
}

/**
 * Every billable item of the whole system that grows with use. X-Ray is priced at its sampling
 * rate beyond the reservoir (5 %), counting every traced request as a trace of its own — an upper
 * bound, since one event's trace spans several; the reservoir's first request each second is a
 * monthly cost (see the monthly bill).
 */
export function priceUsage(usage: CloudUsage, options: PricingOptions = {}): Costing {
  const lambda = lambdaTotals(usage, () => true);
  const perGb = logsUsdPerGb(options.logRetentionDays ?? 30);
  const logLine = (item: string, bytes: number) => ({
    item,
    quantity: bytes / GB,
    unit: 'GB ingested (and stored for the retention)',
    usd: (bytes / GB) * perGb,
  });
  const lines = [
    line('EventBridge PutEvents entries', usage.eventBridge.putEventsChunks, PRICES.putEventsChunk),
    line('EventBridge Scheduler invocations', usage.scheduler.invocations, PRICES.schedulerInvocation),
    line('Lambda requests', lambda.requests, PRICES.lambdaRequest),
    line('Lambda duration (GB-s, modelled from code time and awaited calls)', lambda.gbSeconds, PRICES.lambdaArmGbSecond),
    line('Step Functions Standard transitions', usage.stepFunctions.standardTransitions, PRICES.standardTransition),
    line('Step Functions Express requests', usage.stepFunctions.expressRequests, PRICES.expressRequest),
    line('Step Functions Express duration (GB-s)', usage.stepFunctions.expressGbSeconds, PRICES.expressGbSecond),
    line('DynamoDB write units (table and index)', usage.dynamodb.writeUnits + usage.dynamodb.indexWriteUnits, PRICES.dynamoWriteUnit),
    line('DynamoDB read units', usage.dynamodb.readUnits, PRICES.dynamoReadUnit),
    line('SQS requests', usage.sqs.requests, PRICES.sqsRequest),
    logLine('CloudWatch Logs: function output (GB)', lambda.logBytes),
    logLine("CloudWatch Logs: Lambda's own START/REPORT lines (GB)", lambda.platformLogBytes),
    logLine(
      'CloudWatch Logs: Step Functions execution logs (GB)',
      machineLogBytes(usage, () => true),
    ),
    line('X-Ray traces (5 % sampled beyond the reservoir)', tracedRequests(usage) * XRAY_SAMPLING_RATE, PRICES.xrayTrace),
    line('SES emails', usage.ses.messages, PRICES.sesMessage),
  ];
  const totalUsd = lines.reduce((sum, each) => sum + each.usd, 0);
  return { lines, totalUsd, emailUsd: usage.ses.messages * PRICES.sesMessage.usd };
}

/**
 * What journeys cost apart from the email they send: their Standard state transitions (only
 * journeys are Standard machines) and execution logs, their functions (runtime and launcher)
 * with their logs and traces, and the DynamoDB units those functions and the state machines' own
 * calls use. `isJourney` picks journey functions and state machines by name.
 */
export function journeyCostUsd(usage: CloudUsage, isJourney: FunctionFilter, options: PricingOptions = {}): number {
  const lambda = lambdaTotals(usage, isJourney, options.duration);
  const dynamo = dynamoTotals(usage, (caller) => caller === 'step-functions' || isJourney(caller));
  const logBytes = lambda.logBytes + lambda.platformLogBytes + machineLogBytes(usage, isJourney);
  return (
    usage.stepFunctions.standardTransitions * PRICES.standardTransition.usd +
    lambda.requests * PRICES.lambdaRequest.usd +
    lambda.gbSeconds * PRICES.lambdaArmGbSecond.usd +
    (logBytes / GB) * logsUsdPerGb(options.logRetentionDays ?? 30) +
    lambda.tracedRequests * XRAY_SAMPLING_RATE * PRICES.xrayTrace.usd +
    dynamo.writeUnits * PRICES.dynamoWriteUnit.usd +
    dynamo.readUnits * PRICES.dynamoReadUnit.usd
  );
}

export interface AreaCost {
  readonly area: string;
  readonly usd: number;
}

/** Which part of the system a function belongs to, by its construct's name. */
export function areaOf(functionName: string): string {
  if (functionName.includes('RecordEvent')) return 'hot path';
  if (functionName.includes('Journeys')) return 'journeys';
  if (functionName.includes('Outreach')) return 'outreach';
  return 'stage work';
}

/**
 * The total split by part of the system: the hot path every event takes (its PutEvents entry, its
 * stage workflow, the record function), journeys (their Standard transitions, runtime and
 * launcher), outreach (sender, feedback, unsubscribe, the queue and Scheduler), the stages' own
 * work (recommendations, daily scoring, support answers), logs and traces, and email.
 */
export function costByArea(usage: CloudUsage, options: PricingOptions = {}): AreaCost[] {
  const perGb = logsUsdPerGb(options.logRetentionDays ?? 30);
  const areas = new Map<string, number>();
  const add = (area: string, usd: number) => areas.set(area, (areas.get(area) ?? 0) + usd);
  add('hot path', usage.eventBridge.putEventsChunks * PRICES.putEventsChunk.usd);
  add('hot path', usage.stepFunctions.expressRequests * PRICES.expressRequest.usd + usage.stepFunctions.expressGbSeconds * PRICES.expressGbSecond.usd);
  add('journeys', usage.stepFunctions.standardTransitions * PRICES.standardTransition.usd);
  add('outreach', usage.sqs.requests * PRICES.sqsRequest.usd + usage.scheduler.invocations * PRICES.schedulerInvocation.usd);
  for (const [name, lambda] of Object.entries(usage.lambda)) {
    add(areaOf(name), lambda.requests * PRICES.lambdaRequest.usd + billedGbSeconds(lambda) * PRICES.lambdaArmGbSecond.usd);
    add(
      'logs and traces',
      ((lambda.logBytes + lambda.platformLogBytes) / GB) * perGb + (lambda.tracing ? lambda.requests * XRAY_SAMPLING_RATE * PRICES.xrayTrace.usd : 0),
    );
  }
  add('logs and traces', (machineLogBytes(usage, () => true) / GB) * perGb);
  add('logs and traces', usage.stepFunctions.tracedExecutions * XRAY_SAMPLING_RATE * PRICES.xrayTrace.usd);
  for (const [caller, dynamo] of Object.entries(usage.dynamodb.byCaller)) {
    const area = caller === 'step-functions' ? 'journeys' : caller === 'client' ? 'stage work' : areaOf(caller);
    add(area, (dynamo.writeUnits + dynamo.indexWriteUnits) * PRICES.dynamoWriteUnit.usd + dynamo.readUnits * PRICES.dynamoReadUnit.usd);
  }
  add('email', usage.ses.messages * PRICES.sesMessage.usd);
  return [...areas].map(([area, usd]) => ({ area, usd })).sort((a, b) => b.usd - a.usd);
}

/** Table and index write units the callers a filter picks used, per event. */
export function writeUnitsPer(usage: CloudUsage, caller: FunctionFilter, events: number): { table: number; index: number } {
  const picked = Object.entries(usage.dynamodb.byCaller).filter(([name]) => caller(name));
  const sum = (field: 'writeUnits' | 'indexWriteUnits') => picked.reduce((total, [, each]) => total + each[field], 0);
  return events === 0 ? { table: 0, index: 0 } : { table: sum('writeUnits') / events, index: sum('indexWriteUnits') / events };
}

export interface FunctionUsage {
  /** The function's name without the stack's prefix and the generated suffix (`RecordEvent`). */
  readonly function: string;
  readonly requests: number;
  /** Duration as priced (see lambda-duration.ts). */
  readonly gbSeconds: number;
  /** Duration as the wall clock here measured it: not priced. */
  readonly wallGbSeconds: number;
  /** Time the function's code took, cold starts included, in ms: CPU time where measured (see lambda-duration.ts). */
  readonly codeMs: number;
  /** Whether `codeMs` is CPU time (else the workers' busy time). */
  readonly cpuMeasured: boolean;
  readonly awsCalls: number;
  readonly writeUnits: number;
  readonly readUnits: number;
}

/** Each function's share of the run: what it was invoked for and what it read and wrote. */
export function usageByFunction(usage: CloudUsage): FunctionUsage[] {
  return Object.entries(usage.lambda)
    .map(([name, lambda]) => {
      const dynamo = usage.dynamodb.byCaller[name];
      return {
        function: name.replace(/^[A-Za-z0-9]+-[A-Za-z0-9]+-/, '').replace(/[0-9A-F]{8}$/, ''),
        requests: lambda.requests,
        gbSeconds: billedGbSeconds(lambda),
        wallGbSeconds: lambda.wallGbSeconds,
        codeMs: codeMs(lambda),
        cpuMeasured: lambda.cpuMs !== undefined,
        awsCalls: lambda.awsCalls,
        writeUnits: (dynamo?.writeUnits ?? 0) + (dynamo?.indexWriteUnits ?? 0),
        readUnits: dynamo?.readUnits ?? 0,
      };
    })
    .sort((a, b) => b.requests - a.requests);
}
