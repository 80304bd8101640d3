import { describe, expect, it } from 'vitest';
import { costByArea, journeyCostUsd, priceUsage, usageByFunction, writeUnitsPer } from '#bench/cost-model.ts';
import { PRICES } from '#bench/prices.ts';
import type { CloudUsage } from '#local/local-cloud.ts';

const dynamoCaller = (writeUnits: number, readUnits: number, indexWriteUnits = 0) => ({
  requests: 1,
  readUnits,
  writeUnits,
  indexWriteUnits,
  conditionalFailures: 0,
});

/** A million events' worth of the floor: one entry, one request, one write each, plus journeys and email. */
const usage: CloudUsage = {
  eventBridge: { putEventsEntries: 1_000_000, putEventsChunks: 1_000_000, eventBytes: 1_000_000_000 },
  scheduler: { invocations: 1000 },
  sqs: { requests: 2000 },
  dynamodb: {
    requests: 1_000_000,
    readUnits: 500_000,
    writeUnits: 1_000_000,
    indexWriteUnits: 100_000,
    conditionalFailures: 0,
    byCaller: {
      'Lifecycle-dev-RecordEvent2E8AFE32': dynamoCaller(900_000, 400_000, 100_000),
      'Lifecycle-dev-JourneysRuntime3205C13B': dynamoCaller(80_000, 100_000),
      'step-functions': dynamoCaller(20_000, 0),
    },
  },
  lambda: {
    'Lifecycle-dev-RecordEvent2E8AFE32': {
      requests: 1_000_000,
      errors: 0,
      wallGbSeconds: 6250,
      memoryMb: 1024,
      activeMs: 1_024_000,
      awsCalls: 1_000_000,
      logBytes: 1024 ** 3,
      platformLogBytes: 0,
      tracing: false,
    },
    'Lifecycle-dev-JourneysRuntime3205C13B': {
      requests: 10_000,
      errors: 0,
      wallGbSeconds: 100,
      memoryMb: 1024,
      activeMs: 10_240,
      awsCalls: 4_000,
      logBytes: 0,
      platformLogBytes: 0,
      tracing: false,
    },
  },
  stepFunctions: { standardTransitions: 40_000, standardStates: {}, logBytes: {}, tracedExecutions: 0, expressRequests: 0, expressGbSeconds: 0 },
  ses: { messages: 5000 },
};

/** The same run with tracing on, Lambda's own lines and Step Functions execution logs counted. */
const observed: CloudUsage = {
  ...usage,
  lambda: {
    'Lifecycle-dev-RecordEvent2E8AFE32': { ...usage.lambda['Lifecycle-dev-RecordEvent2E8AFE32']!, platformLogBytes: 1024 ** 3 / 2, tracing: true },
    'Lifecycle-dev-JourneysRuntime3205C13B': { ...usage.lambda['Lifecycle-dev-JourneysRuntime3205C13B']!, tracing: true },
  },
  stepFunctions: {
    ...usage.stepFunctions,
    logBytes: { 'Lifecycle-dev-JourneysJourneywelcome': 1024 ** 3 / 4, 'Lifecycle-dev-BuyStageWorkflow': 1024 ** 3 / 4 },
    tracedExecutions: 90_000,
  },
};

describe('the cost model', () => {
  const costing = priceUsage(usage);
  const lineOf = (item: string) => costing.lines.find((line) => line.item.startsWith(item));

  it('prices each billable item by the price table', () => {
    expect(lineOf('EventBridge PutEvents')?.usd).toBeCloseTo(1.0, 6);
    expect(lineOf('Lambda requests')?.usd).toBeCloseTo(0.2 + 0.002, 6);
    // Duration from code time and awaited calls, not the wall clock (6,350 GB-s here):
    // RecordEvent 1,024,000 ms of code at 1024/1769 of a vCPU = 1,769,000 ms, 1M calls × 20 ms, 1M ms of rounding = 22,769 GB-s at 1 GB;
    // the runtime 17,690 + 80,000 + 10,000 ms = 107.69 GB-s.
    expect(lineOf('Lambda duration')?.quantity).toBeCloseTo(22_769 + 107.69, 6);
    expect(lineOf('Lambda duration')?.usd).toBeCloseTo((22_769 + 107.69) * PRICES.lambdaArmGbSecond.usd, 9);
    expect(lineOf('Step Functions Standard')?.usd).toBeCloseTo(1.0, 6);
    // 1 GB ingested at $0.50, kept 30 days at $0.03 a GB-month.
    expect(lineOf('CloudWatch Logs: function output')?.usd).toBeCloseTo(0.53, 6);
    expect(lineOf('SES')?.usd).toBeCloseTo(0.5, 6);
  });

  it('bills index writes like table writes', () => {
    expect(lineOf('DynamoDB write units')?.quantity).toBe(1_100_000);
    expect(lineOf('DynamoDB write units')?.usd).toBeCloseTo(0.6875, 6);
  });

  it('adds the lines up and keeps the email part apart', () => {
    // By hand: entries 1.00, Scheduler 0.001, requests 0.202, GB-s 22,876.69 × 0.0000133334, transitions 1.00,
    // writes 0.6875, reads 0.0625, SQS 0.0008, logs 0.50 + 0.03 stored, email 0.50.
    expect(costing.totalUsd).toBeCloseTo(1.0 + 0.001 + 0.202 + 22_876.69 * 0.0000133334 + 1.0 + 0.6875 + 0.0625 + 0.0008 + 0.53 + 0.5, 9);
    expect(costing.emailUsd).toBeCloseTo(0.5, 9);
  });

  it('charges journeys their transitions, their functions and their own DynamoDB use, not the hot path', () => {
    const journeys = journeyCostUsd(usage, (name) => name.includes('Journeys'));
    const expected =
      40_000 * PRICES.standardTransition.usd +
      10_000 * PRICES.lambdaRequest.usd +
      107.69 * PRICES.lambdaArmGbSecond.usd +
      100_000 * PRICES.dynamoWriteUnit.usd +
      100_000 * PRICES.dynamoReadUnit.usd;
    expect(journeys).toBeCloseTo(expected, 9);
  });

  it('prices journeys with duration from the wall clock, or at another latency per call, when asked', () => {
    const isJourney = (name: string) => name.includes('Journeys');
    const modelled = journeyCostUsd(usage, isJourney);
    // The runtime's wall clock: 100 GB-s instead of 107.69.
    expect(journeyCostUsd(usage, isJourney, { duration: { kind: 'wall-clock' } }) - modelled).toBeCloseTo((100 - 107.69) * PRICES.lambdaArmGbSecond.usd, 12);
    // 4,000 calls at 40 ms instead of 20: 80 s more at 1 GB.
    expect(journeyCostUsd(usage, isJourney, { duration: { kind: 'model', callMs: 40 } }) - modelled).toBeCloseTo(80 * PRICES.lambdaArmGbSecond.usd, 12);
  });

  it('counts the table and index write units of the functions asked for, per event', () => {
    expect(writeUnitsPer(usage, (name) => name.includes('RecordEvent'), 1_000_000)).toEqual({ table: 0.9, index: 0.1 });
    expect(writeUnitsPer(usage, () => true, 1_000_000)).toEqual({ table: 1.0, index: 0.1 });
    expect(writeUnitsPer(usage, () => true, 0)).toEqual({ table: 0, index: 0 });
  });

  it('names each function by its construct, with what it was invoked for and read and wrote', () => {
    expect(usageByFunction(usage)).toEqual([
      {
        function: 'RecordEvent',
        requests: 1_000_000,
        gbSeconds: 22_769,
        wallGbSeconds: 6250,
        codeMs: 1_024_000,
        cpuMeasured: false,
        awsCalls: 1_000_000,
        writeUnits: 1_000_000,
        readUnits: 400_000,
      },
      {
        function: 'JourneysRuntime',
        requests: 10_000,
        gbSeconds: 107.69,
        wallGbSeconds: 100,
        codeMs: 10_240,
        cpuMeasured: false,
        awsCalls: 4_000,
        writeUnits: 80_000,
        readUnits: 100_000,
      },
    ]);
  });

  it('splits the total by part of the system, and the parts add up to it', () => {
    const areas = costByArea(usage);
    expect(areas.reduce((sum, area) => sum + area.usd, 0)).toBeCloseTo(costing.totalUsd, 9);
    const of = (area: string) => areas.find((each) => each.area === area)?.usd ?? 0;
    expect(of('journeys')).toBeCloseTo(journeyCostUsd(usage, (name) => name.includes('Journeys')) - 0, 9);
    expect(of('email')).toBeCloseTo(0.5, 9);
    expect(of('hot path')).toBeCloseTo(
      1.0 + 0.2 + 22_769 * PRICES.lambdaArmGbSecond.usd + 1_000_000 * PRICES.dynamoWriteUnit.usd + 400_000 * PRICES.dynamoReadUnit.usd,
      9,
    );
  });

  it("prices logs that are not the functions' own output, and traces at the sampling rate", () => {
    const lines = priceUsage(observed, { logRetentionDays: 90 }).lines;
    const of = (item: string) => lines.find((line) => line.item.startsWith(item))?.usd;
    // Kept 90 days: $0.50 + 3 × $0.03 per GB.
    expect(of("CloudWatch Logs: Lambda's own")).toBeCloseTo(0.5 * 0.59, 9);
    expect(of('CloudWatch Logs: Step Functions')).toBeCloseTo(0.5 * 0.59, 9);
    // 1,010,000 traced requests and 90,000 traced executions, 5 % of them at $5 per million.
    expect(of('X-Ray')).toBeCloseTo(1_100_000 * 0.05 * 5e-6, 9);
  });

  it("charges journeys their state machines' logs and their functions' traces, and no one else's", () => {
    const extra = journeyCostUsd(observed, (name) => name.includes('Journeys')) - journeyCostUsd(usage, (name) => name.includes('Journeys'));
    // A quarter GB of journey execution logs (with 30 days stored) and 10,000 × 5 % traces.
    expect(extra).toBeCloseTo(0.25 * 0.53 + 10_000 * 0.05 * 5e-6, 9);
  });
});
