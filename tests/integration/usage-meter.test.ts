import { existsSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '#shared/events/emitter.ts';
import type { CloudUsage } from '#local/local-cloud.ts';
import { STAGE_INDEX } from '#shared/profile/table-design.ts';
import { emitAndSettle, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

let test: TestCloud;
const recordFunction = () => Object.keys(test.cloud.usage().lambda).find((name) => name.includes('RecordEvent')) ?? '';
const dynamoOf = (usage: CloudUsage, caller: string) =>
  usage.dynamodb.byCaller[caller] ?? { writeUnits: 0, indexWriteUnits: 0, readUnits: 0, requests: 0, conditionalFailures: 0 };

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: Date.parse('2026-11-23T01:00:00Z') });
});

afterAll(async () => {
  await test.stop();
});

const emit = (events: EmitInput[]) => emitAndSettle(test, events);

const viewed = (id: string, n: number): EmitInput =>
  ({ detailType: 'product.viewed', detail: { customer: { id }, data: { productId: `p-${n}` } } }) as EmitInput;

describe('what the local cloud counts for the cost model', () => {
  it('counts an event through the hot path: its entry (and the stage change), one Express run, the record function, two table writes', async () => {
    await emit([{ detailType: 'lead.captured', detail: { customer: { id: 'm-1', email: 'm-1@example.com' }, data: { channel: 'web' } } } as EmitInput]);
    const before = test.cloud.usage();
    await emit([viewed('m-1', 1)]);
    const after = test.cloud.usage();

    // The view, and customer.stage.changed: the first view moves the lead from discover to research.
    expect(after.eventBridge.putEventsEntries - before.eventBridge.putEventsEntries).toBe(2);
    expect(after.stepFunctions.expressRequests - before.stepFunctions.expressRequests).toBe(1);
    const name = recordFunction();
    expect((after.lambda[name]?.requests ?? 0) - (before.lambda[name]?.requests ?? 0)).toBe(1);
    expect((after.lambda[name]?.wallGbSeconds ?? 0) - (before.lambda[name]?.wallGbSeconds ?? 0)).toBeGreaterThan(0);
    // Its code ran, and it awaited its calls: the profile read, the profile write, the timeline put.
    expect((after.lambda[name]?.activeMs ?? 0) - (before.lambda[name]?.activeMs ?? 0)).toBeGreaterThan(0);
    expect((after.lambda[name]?.awsCalls ?? 0) - (before.lambda[name]?.awsCalls ?? 0)).toBeGreaterThanOrEqual(3);
    // Linux counts CPU time per thread: the function's is known there (the cost model prices it).
    if (existsSync('/proc/thread-self/stat')) expect(after.lambda[name]?.cpuMs).toBeGreaterThanOrEqual(0);
    // The profile and the timeline entry; the stage index entry moves from discover to research.
    expect(dynamoOf(after, name).writeUnits - dynamoOf(before, name).writeUnits).toBe(2);
    expect(dynamoOf(after, name).indexWriteUnits - dynamoOf(before, name).indexWriteUnits).toBe(2);
  });

  it('writes no index entry for an event that changes neither the stage nor the day of last activity', async () => {
    const before = test.cloud.usage();
    await emit([viewed('m-1', 3)]);
    const after = test.cloud.usage();
    const name = recordFunction();
    expect(dynamoOf(after, name).writeUnits - dynamoOf(before, name).writeUnits).toBe(2);
    expect(dynamoOf(after, name).indexWriteUnits - dynamoOf(before, name).indexWriteUnits).toBe(0);
  });

  it('counts a duplicate event without writing it again', async () => {
    const event = { ...viewed('m-1', 2), detail: { ...viewed('m-1', 2).detail, eventId: 'dup-1' } } as EmitInput;
    await emit([event]);
    const before = test.cloud.usage();
    await emit([event]);
    const after = test.cloud.usage();
    const name = recordFunction();
    expect(after.eventBridge.putEventsEntries - before.eventBridge.putEventsEntries).toBe(1);
    // The dedupe check may read, or fail a conditional write (billed one unit); it never writes the event twice.
    expect(dynamoOf(after, name).writeUnits - dynamoOf(before, name).writeUnits).toBeLessThanOrEqual(1);
  });

  it('counts an email, and the SQS requests of the outreach queue', async () => {
    const before = test.cloud.usage();
    await emit([
      {
        detailType: 'order.placed',
        detail: { customer: { id: 'm-1' }, data: { orderId: 'o-m-1', items: [{ productId: 'p-1', quantity: 1, price: 10 }], total: 10, currency: 'EUR' } },
      } as EmitInput,
    ]);
    const after = test.cloud.usage();
    expect(after.ses.messages - before.ses.messages).toBe(1);
    // The workflow's SendMessage, the poller's receive and its delete.
    expect(after.sqs.requests - before.sqs.requests).toBeGreaterThanOrEqual(3);
  });

  it('meters a client by its calls, with index writes when an item enters, moves or stays in an index', async () => {
    const client = () => dynamoOf(test.cloud.usage(), 'client');
    const put = async (stage: string) => {
      const before = client().indexWriteUnits;
      const Item = { pk: 'METER#1', sk: 'PROFILE', [STAGE_INDEX.partitionKey]: stage, [STAGE_INDEX.sortKey]: '2026-11-23#METER#1' };
      await test.ddb.send(new PutCommand({ TableName: test.tableName, Item }));
      return client().indexWriteUnits - before;
    };
    expect(await put('buy')).toBe(1);
    expect(await put('buy')).toBe(0);
    expect(await put('use')).toBe(2);

    const reads = client().readUnits;
    const { ConsumedCapacity } = await test.ddb.send(new GetCommand({ TableName: test.tableName, Key: { pk: 'METER#1', sk: 'PROFILE' } }));
    // Counted, but not shown to a caller that did not ask: an eventually consistent small read is half a unit.
    expect(ConsumedCapacity).toBeUndefined();
    expect(client().readUnits - reads).toBe(0.5);
  });
});
