/**
 * An AWS service's events in the dead-letter queues: SES feedback that EventBridge could not
 * deliver (a throttled target), and SES feedback the feedback function failed on. PutEvents refuses
 * their `aws.*` source, so `lifecycle dlq redrive` hands them straight to where they were going,
 * and the address ends up suppressed as if nothing had failed.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import type { QueuePeek, QueueRedrive } from '#shared/operations/dead-letter-queues.ts';
import { readAddress } from '#shared/outreach/outreach-store.ts';
import { emailHash } from '#shared/profile/identity.ts';
import { readProfile } from '#shared/profile/store.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo } from '#tests/support/observe.ts';
import { messagesIn as messagesInQueue } from '#tests/support/dead-letters.ts';
import { runCli } from '#tests/support/run-cli.ts';

// Noon in Seoul: no quiet hours hold the email back.
const START = Date.parse('2026-11-22T03:00:00Z');
let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
});

afterAll(async () => {
  await test.stop();
});

const lifecycle = (...args: string[]) => runCli(test.cloud.endpoint, ...args);
const store = () => ({ ddb: test.ddb, tableName: test.tableName });

const messagesIn = (queue: string) => messagesInQueue(test, queue);

/** Moves virtual time on a minute at a time until `queue` holds `count` messages. */
async function advanceUntilParked(queue: string, count = 1): Promise<void> {
  for (let minute = 0; minute < 30; minute++) {
    await test.cloud.settle();
    if ((await messagesIn(queue)) >= count) return;
    test.cloud.clock.advance(60_000);
  }
  throw new Error(`${queue} did not get ${count} message(s) in 30 virtual minutes`);
}

/** A customer at a mailbox-simulator address, sent an order confirmation through the outreach queue. */
async function sendTo(customerId: string, email: string): Promise<void> {
  const emitter = createEmitter({
    client: test.eventBridge,
    eventBusName: test.busName,
    source: 'com.example.shop',
    clock: () => new Date(test.cloud.clock.now()),
  });
  await emitter.emit([
    { detailType: 'lead.captured', detail: { customer: { id: customerId, email, timezone: 'Asia/Seoul' }, data: { channel: 'signup-form' } } } as EmitInput,
  ]);
  await eventually(() => readProfile(store(), customerId), `the profile of ${customerId}`);
  const order = { orderId: `o-${customerId}`, items: [{ productId: 'p', quantity: 1, price: 1 }], total: 1, currency: 'EUR' };
  const request = { version: 1, messageKey: `order:o-${customerId}`, customerId, template: 'order-confirmation', kind: 'transactional', variables: { order } };
  const [outputs = {}] = Object.values(test.cloud.outputs);
  await test.sqs.send(new SendMessageCommand({ QueueUrl: outputs.OutreachQueueUrl, MessageBody: JSON.stringify(request) }));
  await eventually(async () => ((await emailsTo(test, email)).length > 0 ? true : undefined), `the email to ${email}`);
}

const suppression = async (email: string) => (await readAddress(store(), emailHash(email))).suppressed;

describe("an AWS service's events in the dead-letter queues", () => {
  it('redrives a throttled SES bounce straight to the feedback function, which suppresses the address', async () => {
    const address = 'bounce@simulator.amazonses.com';
    // EventBridge cannot deliver SES's events to the feedback function: retried, then dead-lettered.
    test.cloud.faults.set([{ point: 'events.delivery', resource: 'SesFeedbackRule', rate: 1 }]);
    await sendTo('c-dlq-bounce', address);
    await advanceUntilParked('event-delivery', 2);
    test.cloud.faults.set([]);
    expect(await suppression(address)).toBeUndefined();

    const listed = JSON.parse((await lifecycle('dlq', 'list', '--json')).stdout) as { queues: QueuePeek[] };
    const redrive = await lifecycle('dlq', 'redrive', '--json');
    await test.cloud.settle();

    expect(listed.queues.find((queue) => queue.queue === 'event-delivery')).toMatchObject({
      // SES's events about the email: it was sent, then it bounced.
      messages: 2,
      redrivable: 2,
      reasons: [{ kind: 'failed', reason: 'ThrottlingException', count: 2 }],
      types: { 'Email Sent': 1, 'Email Bounced': 1 },
    });
    expect(listed.queues.filter((queue) => queue.kinds.unredrivable)).toEqual([]);
    expect(JSON.parse(redrive.stdout)).toMatchObject({ redriven: 2, left: 0 });
    expect(await messagesIn('event-delivery')).toBe(0);
    expect(await suppression(address)).toMatchObject({ reason: 'bounce' });
  });

  it('redrives an SES complaint the feedback function failed on back to that function', async () => {
    const address = 'complaint@simulator.amazonses.com';
    // The feedback function fails on every try: Lambda retries it, then sends it to its failure destination.
    test.cloud.faults.set([{ point: 'lambda', resource: 'Feedback', rate: 1 }]);
    await sendTo('c-dlq-complaint', address);
    await advanceUntilParked('function-failures');
    // Past Lambda's two retries (a minute, then two) of the events SES sent after the first.
    test.cloud.clock.advance(5 * 60_000);
    await test.cloud.settle();
    test.cloud.faults.set([]);
    expect(await suppression(address)).toBeUndefined();
    const listed = JSON.parse((await lifecycle('dlq', 'list', '--json')).stdout) as { queues: QueuePeek[] };
    const parked = await messagesIn('function-failures');

    const redrive = JSON.parse((await lifecycle('dlq', 'redrive', '--json')).stdout) as { redriven: number; left: number; queues: QueueRedrive[] };
    await test.cloud.settle();

    // Each event SES sent about the email failed and was parked with its on-failure record.
    expect(listed.queues.find((queue) => queue.queue === 'function-failures')).toMatchObject({
      redrivable: parked,
      types: expect.objectContaining({ 'Email Complaint Received': 1 }),
    });
    expect(redrive.queues.find((queue) => queue.queue === 'function-failures')).toMatchObject({ redriven: parked, left: 0 });
    expect(redrive.left).toBe(0);
    expect(await messagesIn('function-failures')).toBe(0);
    expect(await suppression(address)).toMatchObject({ reason: 'complaint' });
  });
});
