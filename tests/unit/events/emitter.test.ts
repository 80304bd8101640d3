import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmitError, EventValidationError, createEmitter, type EmitInput } from '#shared/events/emitter.ts';

const eventBridge = mockClient(EventBridgeClient);
const client = new EventBridgeClient({});
let ids = 0;
const emitter = (maxAttempts?: number) =>
  createEmitter({
    client,
    eventBusName: 'lifecycle-test',
    source: 'com.example.shop',
    sleep: async () => {},
    clock: () => new Date('2026-11-22T10:00:00Z'),
    newId: () => `id-${++ids}`,
    ...(maxAttempts !== undefined && { maxAttempts }),
  });

const viewed = (n: number): EmitInput => ({
  detailType: 'product.viewed',
  detail: { customer: { id: `c-${n}` }, data: { productId: `p-${n}` } },
});

/** Answers each entry of a PutEvents call: the entries whose index is in `failing` fail. */
const answer = (entries: PutEventsRequestEntry[] | undefined, failing: (entry: PutEventsRequestEntry) => string | undefined) => {
  const results = (entries ?? []).map((entry) => {
    const code = failing(entry);
    return code ? { ErrorCode: code, ErrorMessage: `${code} for this entry` } : { EventId: `eb-${entry.Detail?.length}` };
  });
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};

const customerOf = (entry: PutEventsRequestEntry): string => (JSON.parse(entry.Detail ?? '{}') as { customer: { id: string } }).customer.id;

beforeEach(() => {
  eventBridge.reset();
  ids = 0;
});

describe('typed emitter', () => {
  it('sends 25 events in calls of at most 10 entries, in order', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => answer(input.Entries, () => undefined));

    const result = await emitter().emit(Array.from({ length: 25 }, (_, n) => viewed(n)));

    expect(result.sent).toBe(25);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    const sizes = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([10, 10, 5]);
    expect(eventBridge).toHaveReceivedNthCommandWith(PutEventsCommand, 1, {
      Entries: expect.arrayContaining([expect.objectContaining({ EventBusName: 'lifecycle-test', Source: 'com.example.shop', DetailType: 'product.viewed' })]),
    });
  });

  it('fills in eventId and occurredAt, and keeps those the producer gave', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => answer(input.Entries, () => undefined));
    const own: EmitInput = {
      detailType: 'order.delivered',
      detail: { eventId: 'shop-77', occurredAt: '2026-11-21T09:00:00Z', customer: { id: 'c-1' }, data: { orderId: 'o-1' } },
    };

    const result = await emitter().emit([viewed(1), own]);

    expect(result.eventIds).toEqual(['id-1', 'shop-77']);
    const [first, second] = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(JSON.parse(first?.Detail ?? '')).toMatchObject({ eventId: 'id-1', occurredAt: '2026-11-22T10:00:00.000Z' });
    expect(second?.Time).toEqual(new Date('2026-11-21T09:00:00Z'));
  });

  it('re-sends only the entries PutEvents reports as failed', async () => {
    let call = 0;
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => {
      call++;
      // First call: customers 2 and 4 are throttled; they get through on the second.
      return answer(input.Entries, (entry) => (call === 1 && ['c-2', 'c-4'].includes(customerOf(entry)) ? 'ThrottlingException' : undefined));
    });

    const result = await emitter().emit([1, 2, 3, 4, 5].map(viewed));

    expect(result.sent).toBe(5);
    const resent = eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries?.map(customerOf);
    expect(resent).toEqual(['c-2', 'c-4']);
  });

  it('gives up after the configured attempts with an error naming each failed event', async () => {
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: { Entries?: PutEventsRequestEntry[] }) =>
        answer(input.Entries, (entry) => (customerOf(entry) === 'c-3' ? 'InternalFailure' : undefined)),
      );

    const error = await emitter(3)
      .emit([1, 2, 3].map(viewed))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EmitError);
    expect(error).toMatchObject({ sent: 2, attempts: 3, failed: [{ index: 2, detailType: 'product.viewed', eventId: 'id-3', errorCode: 'InternalFailure' }] });
    expect(String((error as Error).message)).toContain('1 event(s) not sent after 3 attempt(s) (2 sent)');
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);
  });

  it('does not re-send entries rejected for good', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => answer(input.Entries, () => 'MalformedDetail'));

    await expect(emitter().emit([viewed(1)])).rejects.toMatchObject({ name: 'EmitError', failed: [{ errorCode: 'MalformedDetail' }] });
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('retries a whole call that throws, then reports the error', async () => {
    eventBridge.on(PutEventsCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));

    await expect(emitter(2).emit([viewed(1)])).rejects.toMatchObject({ failed: [{ errorCode: 'TimeoutError', errorMessage: 'socket hang up' }] });
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('validates every event before sending any', async () => {
    const bad = { detailType: 'order.placed', detail: { customer: { id: 'c-1' }, data: { orderId: 'o-1' } } } as unknown as EmitInput;

    const error = await emitter()
      .emit([viewed(1), bad])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).rejections).toEqual([
      expect.objectContaining({ index: 1, detailType: 'order.placed', reason: expect.stringContaining('data.items: is required') }),
    ]);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('splits calls by size as well as by count', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => answer(input.Entries, () => undefined));
    // Korean text is 3 bytes a character: each entry is ~27 KB, so 10 would exceed 256 KB.
    const big = (n: number): EmitInput => ({
      detailType: 'support.requested',
      detail: { customer: { id: `c-${n}` }, data: { requestId: `r-${n}`, channel: 'web', message: '가'.repeat(9_000) } },
    });

    await emitter().emit(Array.from({ length: 30 }, (_, n) => big(n)));

    const sizes = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length);
    expect(sizes).toEqual([9, 9, 9, 3]);
  });
});
