/**
 * Two hundred events about one customer at once, in parallel PutEvents calls: every one must be
 * counted on the profile and kept on the timeline. Each record is a read, a change and a write
 * conditional on the version read (optimistic concurrency, no transactions); a writer that loses
 * the race reads again and retries, and one that keeps losing is retried by its workflow. A lost
 * update would show as a count short of 200, a double-applied one as a count over it. (Races
 * that need an exact set-up rather than numbers are in races.test.ts.)
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDense } from '#shared/profile/interest-and-usage.ts';
import type { Profile } from '#shared/profile/profile.ts';
import { readProfile, readTimeline } from '#shared/profile/store.ts';
import type { TimelineEntry } from '#shared/profile/timeline.ts';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { recordCount } from './support/counts.ts';
import { failedInvocations, parkedEvents, undeliverable } from './support/dead-letters.ts';

// Mid-morning UTC, time standing still unless the test moves it; the nightly scoring (02:00) and
// the daily segment evaluations are hours away, so nothing but these events writes the profile.
const START = Date.parse('2026-11-22T10:00:00Z');
const EVENTS = 200;
const CUSTOMER = 'concurrency-0001';
const DAY = new Date(START - 3_600_000).toISOString().slice(0, 10);

let test: TestCloud;
let profile: Profile | undefined;
let timeline: TimelineEntry[];
/** Conditional writes of the record function that lost a race (the store counts them). */
let conflicts: number;

/** Usage in the hour before the start, one event a second apart; quantity 1 to 5. */
const usageEntry = (n: number): PutEventsRequestEntry => ({
  EventBusName: test.busName,
  Source: 'com.example.devices',
  DetailType: 'usage.recorded',
  Detail: JSON.stringify({
    eventId: `concurrency-usage-${n}`,
    occurredAt: new Date(START - 3_600_000 + n * 1000).toISOString(),
    customer: { id: CUSTOMER },
    data: { productId: 'p-smart-bulb', feature: 'dimming', quantity: (n % 5) + 1, source: 'device' },
  }),
});

const expectedQuantity = Array.from({ length: EVENTS }, (_, n) => (n % 5) + 1).reduce((sum, quantity) => sum + quantity, 0);

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
  const entries = Array.from({ length: EVENTS }, (_, n) => usageEntry(n));
  // All at once: twenty calls of ten, none waiting for another.
  const calls = Array.from({ length: EVENTS / 10 }, (_, call) => entries.slice(call * 10, call * 10 + 10));
  const responses = await Promise.all(calls.map((batch) => test.eventBridge.send(new PutEventsCommand({ Entries: batch }))));
  expect(responses.map((response) => response.FailedEntryCount ?? 0)).toEqual(calls.map(() => 0));

  // A writer that lost too many races is retried by its workflow after a back-off on the virtual
  // clock: move it on in small steps until the timeline is complete (or give up and let the
  // assertions say what is missing).
  for (let step = 0; step < 30; step++) {
    await test.cloud.settle();
    timeline = await readTimeline({ ddb: test.ddb, tableName: test.tableName }, CUSTOMER);
    if (timeline.length >= EVENTS) break;
    test.cloud.clock.advance(5_000);
  }
  await test.cloud.settle();
  profile = await readProfile({ ddb: test.ddb, tableName: test.tableName }, CUSTOMER);
  timeline = await readTimeline({ ddb: test.ddb, tableName: test.tableName }, CUSTOMER);
  const byCaller = test.cloud.usage().dynamodb.byCaller;
  conflicts = Object.entries(byCaller).reduce((sum, [caller, usage]) => sum + (caller.includes('RecordEvent') ? usage.conditionalFailures : 0), 0);
});

afterAll(async () => {
  await test.stop();
});

describe('200 events for one customer at once', () => {
  it('counts every one on the profile: no update lost, none applied twice', () => {
    // The writes did race: without conflicts this would prove nothing about concurrency.
    expect(conflicts).toBeGreaterThan(EVENTS / 10);
    expect(profile?.counters.events).toBe(EVENTS);
    // Every event was one write of the profile, conditional on the one before.
    expect(profile?.version).toBe(EVENTS);
    expect(profile?.stage).toBe('use');
    recordCount('concurrent events counted', profile?.counters.events ?? 0);
    recordCount('write conflicts retried', conflicts);
  });

  it('adds up what every event said: the usage of the day is the sum of all quantities', () => {
    const days = fromDense(profile?.usage?.days);
    expect(days).toEqual({ [DAY]: expectedQuantity });
  });

  it('keeps each event on the timeline once, in the order they happened', () => {
    expect(timeline).toHaveLength(EVENTS);
    expect(new Set(timeline.map((entry) => entry.eventId)).size).toBe(EVENTS);
    expect(timeline.map((entry) => entry.eventId)).toEqual(Array.from({ length: EVENTS }, (_, n) => `concurrency-usage-${n}`));
  });

  it('parks nothing: every conflict was resolved by retrying', () => {
    expect([...parkedEvents(test).values()]).toEqual([]);
    expect([...failedInvocations(test).values()]).toEqual([]);
    expect(undeliverable(test)).toBe(0);
  });
});
