/**
 * `lifecycle dlq` against the local cloud: real failures are parked by the stack itself (a failing
 * record function, an undeliverable rule target, a failing asynchronous function, an invalid event,
 * an invalid send request), then listed and redriven through the CLI as an operator would.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import type { QueuePeek, QueueRedrive } from '#shared/operations/dead-letter-queues.ts';
import { readProfile } from '#shared/profile/store.ts';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { deadLetterQueues, messagesIn as messagesInQueue } from '#tests/support/dead-letters.ts';
import { runCli } from '#tests/support/run-cli.ts';

// Mid-morning UTC: the minutes this test moves the clock cross no scheduled rule (scoring runs at 02:00).
const START = Date.parse('2026-11-22T10:00:00Z');
let test: TestCloud;
let queues: Record<string, string>;
let outreachQueueUrl: string;

beforeAll(async () => {
  // Time stands still unless the test moves it: retries wait until it does.
  test = await startTestCloud({ speed: 0, startTime: START });
  const [outputs = {}] = Object.values(test.cloud.outputs);
  queues = deadLetterQueues(test);
  outreachQueueUrl = outputs.OutreachQueueUrl ?? '';
});

afterAll(async () => {
  await test.stop();
});

const lifecycle = (...args: string[]) => runCli(test.cloud.endpoint, ...args);

const emitter = () =>
  createEmitter({
    client: test.eventBridge,
    eventBusName: test.busName,
    source: 'com.example.shop',
    clock: () => new Date(test.cloud.clock.now()),
    sleep: async () => {},
  });

const messagesIn = (queue: string) => messagesInQueue(test, queue);

/** Moves virtual time on in steps until `queue` holds `count` messages; fails after `maxSteps`. */
async function advanceUntil(queue: string, count: number, stepMs: number, maxSteps = 40): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await test.cloud.settle();
    if ((await messagesIn(queue)) >= count) return;
    test.cloud.clock.advance(stepMs);
  }
  throw new Error(`${queue} did not get ${count} message(s) in ${maxSteps} steps`);
}

const customer = (id: string) => ({ id, email: `${id}@example.com`, name: 'Mina Kim' });
/** The three events each of the two customers gets; the eventIds tell the two apart. */
const eventsOf = (id: string) => ({
  order: {
    detailType: 'order.placed',
    detail: {
      eventId: `${id}-order`,
      customer: customer(id),
      data: { orderId: `o-${id}`, items: [{ productId: 'p-lamp', quantity: 1, price: 39 }], total: 39, currency: 'EUR' },
    },
  } as EmitInput,
  profile: { detailType: 'profile.updated', detail: { eventId: `${id}-profile`, customer: { id }, data: { attributes: { tier: 'gold' } } } } as EmitInput,
  view: { detailType: 'product.viewed', detail: { eventId: `${id}-view`, customer: { id }, data: { productId: 'p-lamp' } } } as EmitInput,
});

const store = () => ({ ddb: test.ddb, tableName: test.tableName });
/** What an event changes on a profile; ids, marks and times aside. */
async function outcomeFor(id: string) {
  const profile = await readProfile(store(), id);
  return profile && { stage: profile.stage, counters: profile.counters, revenue: profile.revenue, attributes: profile.attributes };
}

const byQueue = <T extends { queue: string }>(rows: readonly T[], queue: string): T | undefined => rows.find((row) => row.queue === queue);

describe('lifecycle dlq', () => {
  beforeAll(async () => {
    // The same events for a customer whose processing never fails: what the other one should end as.
    const control = eventsOf('dlq-control');
    await emitter().emit([control.order, control.profile, control.view]);
    await test.cloud.settle();

    const failing = eventsOf('dlq-failing');
    // The buy workflow cannot record the order: retried, then parked as failed.
    test.cloud.faults.set([{ point: 'lambda', resource: 'RecordEvent', rate: 1 }]);
    await emitter().emit([failing.order]);
    await advanceUntil('buy-workflow', 1, 5_000);
    // The profile workflow's rule cannot deliver the update: retried, then dead-lettered by EventBridge.
    test.cloud.faults.set([{ point: 'events.delivery', resource: 'ProfileWorkflowRoute', rate: 1 }]);
    await emitter().emit([failing.profile]);
    await advanceUntil('event-delivery', 1, 30_000);
    // The recommendation learner fails on the view (an asynchronous target): retried, then its failure destination.
    test.cloud.faults.set([{ point: 'lambda', resource: 'LearnProducts', rate: 1 }]);
    await emitter().emit([failing.view]);
    await advanceUntil('function-failures', 1, 30_000);
    test.cloud.faults.set([]);

    // Bad input: an order without its items, and a send request without its fields; both are rejected.
    await test.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: test.busName,
            Source: 'com.example.shop',
            DetailType: 'order.placed',
            Detail: JSON.stringify({
              eventId: 'dlq-invalid',
              occurredAt: '2026-11-22T10:00:00Z',
              customer: customer('dlq-invalid'),
              data: { orderId: 'o-bad' },
            }),
          },
        ],
      }),
    );
    await test.sqs.send(
      new SendMessageCommand({ QueueUrl: outreachQueueUrl, MessageBody: JSON.stringify({ version: 1, template: 'welcome', customerId: 'dlq-invalid' }) }),
    );
    await advanceUntil('buy-workflow', 2, 1_000);
    await advanceUntil('outreach', 1, 1_000);
  });

  it('lists each queue with its count and reasons, and no personal data', async () => {
    const result = await lifecycle('dlq', 'list', '--json');
    const { queues: listed } = JSON.parse(result.stdout) as { queues: QueuePeek[] };

    expect(result.code).toBe(0);
    expect(listed.map((peek) => peek.queue).sort()).toEqual(Object.keys(queues).sort());
    expect(byQueue(listed, 'buy-workflow')).toMatchObject({
      messages: 2,
      redrivable: 1,
      reasons: [
        { kind: 'failed', reason: 'InjectedFault', count: 1 },
        {
          kind: 'rejected',
          reason: 'InvalidEventError',
          count: 1,
          // The order came without its items, total and currency.
          details: [
            { detail: 'data.currency: is required', count: 1 },
            { detail: 'data.items: is required', count: 1 },
            { detail: 'data.total: is required', count: 1 },
          ],
        },
      ],
      types: { 'order.placed': 2 },
    });
    expect(byQueue(listed, 'event-delivery')).toMatchObject({
      messages: 1,
      redrivable: 1,
      reasons: [{ kind: 'failed', reason: 'ThrottlingException', count: 1 }],
      types: { 'profile.updated': 1 },
    });
    expect(byQueue(listed, 'function-failures')).toMatchObject({
      messages: 1,
      redrivable: 1,
      reasons: [{ kind: 'failed', reason: 'InjectedFault', count: 1 }],
      types: { 'product.viewed': 1 },
    });
    expect(byQueue(listed, 'outreach')).toMatchObject({
      messages: 1,
      redrivable: 0,
      reasons: [{ kind: 'rejected', reason: 'InvalidSendRequest', count: 1 }],
      types: { 'send-request:welcome': 1 },
    });
    expect(result.stdout).not.toMatch(/example\.com|Mina|dlq-failing|o-dlq/);
    // Looking changed nothing: every message is still there, and visible.
    expect(await messagesIn('buy-workflow')).toBe(2);
  });

  it('lists the queues as a table for people', async () => {
    const result = await lifecycle('dlq', 'list');

    expect(result.stdout).toMatch(/^queue +messages +redrivable +reasons +types/);
    expect(result.stdout).toMatch(/buy-workflow +2 +1 +InjectedFault: 1, InvalidEventError \(rejected\): 1 +order\.placed: 2/);
    expect(result.stdout).toMatch(
      /Why they were rejected, by field[^\n]*\nqueue +error +reason +messages\n[- ]+\n(buy-workflow +InvalidEventError +data\.(currency|items|total): is required +1\n){3}/,
    );
    expect(result.stdout).toContain('lifecycle dlq redrive');
  });

  it('says what a dry run would redrive, and changes nothing', async () => {
    // The journey engine records a goal event it receives when nobody waits for it (the order,
    // here): what the dry run must leave alone is the customer as it is now.
    const before = await outcomeFor('dlq-failing');
    const result = await lifecycle('dlq', 'redrive', '--dry-run', '--json');
    const report = JSON.parse(result.stdout) as { dryRun: boolean; redriven: number; left: number; queues: QueueRedrive[] };

    expect(report).toMatchObject({ dryRun: true, redriven: 3, left: 2 });
    expect(byQueue(report.queues, 'buy-workflow')).toMatchObject({ examined: 2, redriven: 1, left: 1, leftBy: [{ reason: 'InvalidEventError', count: 1 }] });
    await test.cloud.settle();
    expect(await Promise.all(['buy-workflow', 'event-delivery', 'function-failures', 'outreach'].map(messagesIn))).toEqual([2, 1, 1, 1]);
    expect(await outcomeFor('dlq-failing')).toEqual(before);
  });

  it('redrives the failed ones, and the customer ends as if nothing had failed', async () => {
    const result = await lifecycle('dlq', 'redrive', '--json');
    await test.cloud.settle();

    const report = JSON.parse(result.stdout) as { redriven: number; left: number; queues: QueueRedrive[] };
    expect(report).toMatchObject({ redriven: 3, left: 2 });
    expect(await outcomeFor('dlq-failing')).toEqual(await outcomeFor('dlq-control'));
    expect(await outcomeFor('dlq-failing')).toMatchObject({ stage: 'buy', counters: { events: 3, orders: 1 }, attributes: { tier: 'gold' } });
    // The view went back to every rule, the research workflow among them: recorded once all the same.
    expect(await Promise.all(['buy-workflow', 'event-delivery', 'function-failures', 'outreach'].map(messagesIn))).toEqual([1, 0, 0, 1]);
  });

  it('leaves rejected messages for a person, and says why', async () => {
    const result = await lifecycle('dlq', 'redrive', '--queue', 'buy-workflow');

    expect(result.stdout).toContain('Redrove 0 of 1 messages; 1 left.');
    expect(result.stdout).toMatch(/buy-workflow +0 +1 +InvalidEventError: 1 \(rejected: it would be rejected again; fix it, then --include-rejected\)/);
    expect(await messagesIn('buy-workflow')).toBe(1);
  });

  it('redrives rejected messages when asked, and they are rejected again until fixed', async () => {
    const result = await lifecycle('dlq', 'redrive', '--queue', 'outreach', '--include-rejected', '--json');
    await advanceUntil('outreach', 1, 1_000);

    expect(JSON.parse(result.stdout)).toMatchObject({ includeRejected: true, redriven: 1, left: 0 });
    expect(await messagesIn('outreach')).toBe(1);
  });

  it('names the queues when asked for one that does not exist', async () => {
    const result = await lifecycle('dlq', 'redrive', '--queue', 'nowhere');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no dead-letter queue nowhere; the queues are event-delivery, function-failures, outreach');
  });
});
