import { describe, expect, it } from 'vitest';
import { AtLeastOnce, type CopiedCall } from '#local/at-least-once.ts';
import { MemoryActivityLog } from '#local/activity-log.ts';
import { VirtualClock } from '#local/clock.ts';
import { QUEUE_DEFAULTS, SqsService } from '#local/sqs/sqs-service.ts';

const START = Date.parse('2026-11-22T12:00:00Z');
const calls: CopiedCall[] = Array.from({ length: 50 }, (_, n) => ({ resources: ['queue'], content: `message ${n}` }));

/** When each call's copy arrives (virtual ms after the first delivery), with the calls made in this order. */
function copyTimes(order: readonly CopiedCall[], seed = 3): Record<string, number> {
  const clock = new VirtualClock({ start: START, speed: 0 });
  const mode = new AtLeastOnce(clock, seed);
  mode.set({ maxDelaySeconds: 30 });
  const arrived: Record<string, number> = {};
  for (const call of order) mode.again('sqs', call, () => (arrived[call.content] = clock.now() - START));
  // A second at a time: each copy shows up in the second it is due.
  for (let second = 0; second <= 30; second++) clock.advance(second === 0 ? 0 : 1000);
  return arrived;
}

describe('at-least-once delivery', () => {
  it('delivers each copy within the bound, delayed alike whatever order the calls came in', () => {
    const times = copyTimes(calls);

    expect(Object.keys(times)).toHaveLength(calls.length);
    expect(Math.max(...Object.values(times))).toBeLessThanOrEqual(30_000);
    // Spread over the bound, so copies overtake one another.
    expect(new Set(Object.values(times)).size).toBeGreaterThan(15);
    expect(copyTimes([...calls].reverse())).toEqual(times);
    expect(copyTimes(calls, 4)).not.toEqual(times);
  });

  it('copies nothing while off, and counts the copies by hop while on', async () => {
    const clock = new VirtualClock({ start: START, speed: 0 });
    const mode = new AtLeastOnce(clock);
    let runs = 0;
    const task = async () => ++runs;

    mode.again('events.delivery', { resources: [], content: 'x' }, () => runs++);
    expect(await mode.twice('states.task', task)).toBe(1);
    mode.set({});
    expect(await mode.twice('states.task', task)).toBe(3);
    mode.again('events.delivery', { resources: [], content: 'x' }, () => runs++);
    clock.advance(60_000);

    expect(runs).toBe(4);
    expect(Object.fromEntries(mode.copies)).toEqual({ 'states.task': 1, 'events.delivery': 1 });
  });

  it('makes a standard queue deliver a message again with the same id and body, deleted apart', async () => {
    const clock = new VirtualClock({ start: START, speed: 0 });
    const mode = new AtLeastOnce(clock);
    mode.set({ maxDelaySeconds: 10 });
    const sqs = new SqsService({ clock, log: new MemoryActivityLog(), region: 'us-east-1', accountId: '000000000000', atLeastOnce: mode });
    const definition = (name: string) => ({
      name,
      arn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      url: `http://localhost/000000000000/${name}`,
      fifo: name.endsWith('.fifo'),
      ...QUEUE_DEFAULTS,
    });
    sqs.createQueue(definition('standard'));
    sqs.createQueue({ ...definition('ordered.fifo'), contentBasedDeduplication: true });
    const receive = async (name: string) =>
      (
        (await sqs.handle('ReceiveMessage', { QueueUrl: definition(name).url, MaxNumberOfMessages: 10 })) as {
          Messages?: { MessageId: string; Body: string; ReceiptHandle: string }[];
        }
      ).Messages ?? [];

    const { messageId } = sqs.sendMessage(definition('standard').arn, 'hello');
    sqs.sendMessage(definition('ordered.fifo').arn, 'hello', { messageGroupId: 'g' });
    const [first] = await receive('standard');
    await sqs.handle('DeleteMessage', { QueueUrl: definition('standard').url, ReceiptHandle: first?.ReceiptHandle });
    clock.advance(10_000);
    const again = await receive('standard');

    expect(first?.MessageId).toBe(messageId);
    expect(again.map((message) => [message.MessageId, message.Body])).toEqual([[messageId, 'hello']]);
    // FIFO queues deliver exactly once.
    expect(await receive('ordered.fifo')).toHaveLength(1);
    expect(Object.fromEntries(mode.copies)).toEqual({ sqs: 1 });
    sqs.close();
  });
});
