/**
 * Prices what a workload used in the local cloud (`LocalCloud.usage()`) with the price table:
 * one line per billable item, the total, and the share of it journeys account for.
 */
import type { CloudUsage } from '#local/local-cloud.ts';
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

function line(item: string, quantity: number, price: Price): CostLine {
  return { item, quantity, unit: price.per, usd: quantity * price.usd };
}

/** Which functions' usage counts: all of them, or those a predicate picks (e.g. the journeys'). */
type FunctionFilter = (functionName: string) => boolean;

function lambdaTotals(usage: CloudUsage, include: FunctionFilter) {
  const picked = Object.entries(usage.lambda).filter(([name]) => include(name));
  return {
    requests: picked.reduce((sum, [, each]) => sum + each.requests, 0),
    gbSeconds: picked.reduce((sum, [, each]) => sum + each.gbSeconds, 0),
    logBytes: picked.reduce((sum, [, each]) => sum + each.logBytes, 0),
  };
}

function dynamoTotals(usage: CloudUsage, callers: FunctionFilter) {
  const picked = Object.entries(usage.dynamodb.byCaller).filter(([caller]) => callers(caller));
  return {
    writeUnits: picked.reduce((sum, [, each]) => sum + each.writeUnits + each.indexWriteUnits, 0),
    readUnits: picked.reduce((sum, [, each]) => sum + each.readUnits, 0),
  };
}

/** Every billable item of the whole system. */
export function priceUsage(usage: CloudUsage): Costing {
  const lambda = lambdaTotals(usage, () => true);
  const lines = [
    line('EventBridge PutEvents entries', usage.eventBridge.putEventsChunks, PRICES.putEventsChunk),
    line('EventBridge Scheduler invocations', usage.scheduler.invocations, PRICES.schedulerInvocation),
    line('Lambda requests', lambda.requests, PRICES.lambdaRequest),
    line('Lambda duration (GB-s)', lambda.gbSeconds, PRICES.lambdaArmGbSecond),
    line('Step Functions Standard transitions', usage.stepFunctions.standardTransitions, PRICES.standardTransition),
    line('Step Functions Express requests', usage.stepFunctions.expressRequests, PRICES.expressRequest),
    line('Step Functions Express duration (GB-s)', usage.stepFunctions.expressGbSeconds, PRICES.expressGbSecond),
    line('DynamoDB write units (table and index)', usage.dynamodb.writeUnits + usage.dynamodb.indexWriteUnits, PRICES.dynamoWriteUnit),
    line('DynamoDB read units', usage.dynamodb.readUnits, PRICES.dynamoReadUnit),
    line('SQS requests', usage.sqs.requests, PRICES.sqsRequest),
    line('CloudWatch Logs ingested (GB)', lambda.logBytes / GB, PRICES.logsGigabyte),
    line('SES emails', usage.ses.messages, PRICES.sesMessage),
  ];
  const totalUsd = lines.reduce((sum, each) => sum + each.usd, 0);
  return { lines, totalUsd, emailUsd: usage.ses.messages * PRICES.sesMessage.usd };
}

/**
 * What journeys cost apart from the email they send: their Standard state transitions (only
 * journeys are Standard machines), their functions (runtime and launcher) with their logs, and
 * the DynamoDB units those functions and the state machines' own calls use.
 */
export function journeyCostUsd(usage: CloudUsage, isJourneyFunction: FunctionFilter): number {
  const lambda = lambdaTotals(usage, isJourneyFunction);
  const dynamo = dynamoTotals(usage, (caller) => caller === 'step-functions' || isJourneyFunction(caller));
  return (
    usage.stepFunctions.standardTransitions * PRICES.standardTransition.usd +
    lambda.requests * PRICES.lambdaRequest.usd +
    lambda.gbSeconds * PRICES.lambdaArmGbSecond.usd +
    (lambda.logBytes / GB) * PRICES.logsGigabyte.usd +
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
 * work (recommendations, daily scoring, support answers), logs, and email.
 */
export function costByArea(usage: CloudUsage): AreaCost[] {
  const areas = new Map<string, number>();
  const add = (area: string, usd: number) => areas.set(area, (areas.get(area) ?? 0) + usd);
  add('hot path', usage.eventBridge.putEventsChunks * PRICES.putEventsChunk.usd);
  add('hot path', usage.stepFunctions.expressRequests * PRICES.expressRequest.usd + usage.stepFunctions.expressGbSeconds * PRICES.expressGbSecond.usd);
  add('journeys', usage.stepFunctions.standardTransitions * PRICES.standardTransition.usd);
  add('outreach', usage.sqs.requests * PRICES.sqsRequest.usd + usage.scheduler.invocations * PRICES.schedulerInvocation.usd);
  for (const [name, lambda] of Object.entries(usage.lambda)) {
    add(areaOf(name), lambda.requests * PRICES.lambdaRequest.usd + lambda.gbSeconds * PRICES.lambdaArmGbSecond.usd);
    add('logs', (lambda.logBytes / GB) * PRICES.logsGigabyte.usd);
  }
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
  readonly gbSeconds: number;
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
        gbSeconds: lambda.gbSeconds,
        writeUnits: (dynamo?.writeUnits ?? 0) + (dynamo?.indexWriteUnits ?? 0),
        readUnits: dynamo?.readUnits ?? 0,
      };
    })
    .sort((a, b) => b.requests - a.requests);
}
