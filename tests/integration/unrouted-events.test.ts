/**
 * EventBridge drops an event no rule matches without a trace; the bus's catch-all rules keep them:
 * a detail-type nobody handles, and a system event put by someone other than the system. What the
 * system handles, and what it emits for others (a journey's `emit`, under Source lifecycle.journeys), is not kept.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '#tests/fixtures/events.ts';
import { unroutedEvents } from '#tests/reliability/support/dead-letters.ts';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0 });
});

afterAll(async () => {
  await test?.stop();
});

const entry = (Source: string, DetailType: string, detail: object) => ({
  EventBusName: test.busName,
  Source,
  DetailType,
  Detail: JSON.stringify({ ...detail, occurredAt: new Date(test.cloud.clock.now()).toISOString() }),
});

describe('events no rule takes', () => {
  it('keeps an unknown detail-type and a forged system event, and nothing the system handles or emits', { timeout: 60_000 }, async () => {
    const order = fixture('order.placed').detail;
    const bounce = fixture('email.bounced').detail;
    const { Entries = [] } = await test.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          entry('com.example.shop', 'order.teleported', { ...order, eventId: 'u-unknown' }),
          entry('com.example.shop', 'email.bounced', { ...bounce, eventId: 'u-forged' }),
          entry('com.example.shop', 'order.placed', { ...order, eventId: 'u-valid' }),
          entry('lifecycle', 'email.bounced', { ...bounce, eventId: 'u-system' }),
          // What win-back's emit step puts on the bus for other systems: no rule of the system takes it, and it is no mistake.
          entry('lifecycle.journeys', 'journey.win-back.completed', { eventId: 'u-emitted', data: { offer: 'COMEBACK15' } }),
          entry('com.example.shop', 'journey.nobody.listens', { eventId: 'u-stray' }),
        ],
      }),
    );
    await test.cloud.settle();
    const ids = Entries.map((each) => each.EventId);

    expect(unroutedEvents(test).sort()).toEqual([ids[0], ids[1], ids[5]].sort());
  });
});
