/**
 * Races that numbers would only catch by luck, set up exactly instead — one side held half-way
 * (support/held-writes.ts, or a failing delivery) while the other runs:
 * - an anonymous visitor's event still being written when the sign-up that names the visitor
 *   merges them into the customer and copies their timeline;
 * - a redelivered anonymous event arriving while that merge is under way;
 * - a journey's first email (the welcome series) reaching the sender before the stage workflow
 *   has recorded the lead that started the journey.
 * Each lost or double-counted an event, or skipped an email for good, before it was fixed.
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionalIdForAnonymous } from '#shared/profile/identity.ts';
import { recordEvent, type RecordDeps } from '#shared/profile/record-event.ts';
import { readProfile, readTimeline } from '#shared/profile/store.ts';
import { catalogEvent } from '#tests/fixtures/events.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo } from '#tests/support/observe.ts';
import { recordCount } from './support/counts.ts';
import { undeliverable } from './support/dead-letters.ts';
import { gate, holding } from './support/held-writes.ts';

// Mid-morning UTC (no quiet hours for a UTC customer), time standing still unless a test moves it.
const START = Date.parse('2026-11-22T10:00:00Z');

const RACES = 'races set up exactly';

let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
});

afterAll(async () => {
  await test.stop();
});

describe('an anonymous visitor signing up while their events are being recorded', () => {
  const store = () => ({ ddb: test.ddb, tableName: test.tableName });
  const deps = (): RecordDeps => ({ ...store(), clock: () => new Date(test.cloud.clock.now()), timelineRetentionDays: 730 });
  const events = (n: number) => {
    const [visitor, customer] = [`races-visitor-${n}`, `races-merge-${n}`];
    return {
      visitor,
      customer,
      view: catalogEvent('product.viewed', {
        eventId: `races-view-${n}`,
        occurredAt: new Date(START - 7_200_000).toISOString(),
        customer: { anonymousId: visitor },
      }),
      signUp: catalogEvent('lead.captured', {
        eventId: `races-lead-${n}`,
        occurredAt: new Date(START - 3_600_000).toISOString(),
        customer: { id: customer, anonymousId: visitor, email: `${customer}@example.com` },
      }),
    };
  };

  it('keeps an event whose timeline write was still under way when the merge copied the timeline', async () => {
    const { visitor, customer, view, signUp } = events(1);
    const timelineWrite = gate();
    const isViewEntry = (command: unknown) => command instanceof PutCommand && String(command.input.Item?.sk ?? '').endsWith(`#${view.detail.eventId}`);

    // The view is applied to the visitor's provisional profile; its timeline write hangs.
    const recording = recordEvent({ ...deps(), ddb: holding(test.ddb, isViewEntry, timelineWrite) }, view);
    await eventually(
      async () => ((await readProfile(store(), provisionalIdForAnonymous(visitor)))?.counters.events === 1 ? true : undefined),
      "the view on the visitor's profile",
    );
    // Meanwhile the sign-up merges the visitor into the customer, copying a timeline without the view.
    await recordEvent(deps(), signUp);
    expect(timelineWrite.held).toBe(1);
    timelineWrite.open();
    await recording;

    expect((await readProfile(store(), customer))?.counters.events).toBe(2);
    expect((await readTimeline(store(), customer)).map((entry) => entry.eventId)).toEqual([view.detail.eventId, signUp.detail.eventId]);
    recordCount(RACES, 1);
  });

  it('does not apply a redelivered event a second time while the merge is under way', async () => {
    const { visitor, customer, view, signUp } = events(2);
    await recordEvent(deps(), view);
    const copy = gate();
    const isTimelineCopy = (command: unknown) => command instanceof BatchWriteCommand;

    // The sign-up marks the visitor's profile merged, then its timeline copy hangs.
    const merging = recordEvent({ ...deps(), ddb: holding(test.ddb, isTimelineCopy, copy) }, signUp);
    await eventually(
      async () => ((await readProfile(store(), provisionalIdForAnonymous(visitor)))?.mergedInto === customer ? true : undefined),
      "the visitor's profile marked merged",
    );
    // The view comes again: the visitor's profile, merged away, already holds it.
    const again = await recordEvent(deps(), view);
    expect(copy.held).toBeGreaterThanOrEqual(1);
    copy.open();
    await merging;

    expect(again.status).toBe('duplicate');
    expect((await readProfile(store(), customer))?.counters.events).toBe(2);
    expect((await readTimeline(store(), customer)).map((entry) => entry.eventId)).toEqual([view.detail.eventId, signUp.detail.eventId]);
    recordCount(RACES, 1);
  });
});

describe("a journey's first email and the record of the event that started it", () => {
  it('sends the welcome email even when the lead reaches the journey before its stage workflow', async () => {
    const lead = { id: 'races-lead-0001', email: 'races-lead-0001@example.com', name: 'Mina Kim', timezone: 'UTC' };
    // The discover workflow does not get the lead for now (its rule's deliveries fail and are
    // retried later): the welcome series, started by the same event, gets there first.
    test.cloud.faults.set([{ point: 'events.delivery', resource: 'DiscoverWorkflowRoute', rate: 1 }]);
    const entry: PutEventsRequestEntry = {
      EventBusName: test.busName,
      Source: 'com.example.shop',
      DetailType: 'lead.captured',
      Detail: JSON.stringify({
        eventId: 'races-lead-event-1',
        occurredAt: new Date(START - 60_000).toISOString(),
        customer: lead,
        data: { channel: 'signup-form', consent: { email: true, topics: ['newsletter'] } },
      }),
    };
    const response = await test.eventBridge.send(new PutEventsCommand({ Entries: [entry] }));
    expect(response.FailedEntryCount ?? 0).toBe(0);
    await test.cloud.settle();
    const welcome = (await emailsTo(test, lead.email)).map((email) => email.subject);
    // The lead reaches its workflow at last (the bus retries within minutes), recorded once.
    test.cloud.faults.set([]);
    for (let step = 0; step < 6; step++) {
      test.cloud.clock.advance(30_000);
      await test.cloud.settle();
    }

    expect(welcome).toEqual([expect.stringContaining('Welcome')]);
    expect((await readProfile({ ddb: test.ddb, tableName: test.tableName }, lead.id))?.counters.events).toBe(1);
    expect(undeliverable(test)).toBe(0);
    expect(await emailsTo(test, lead.email)).toHaveLength(1);
    recordCount(RACES, 1);
  });
});
