/**
 * The journey engine in the local cloud, with journeys written for these tests: each kind of wait
 * wakes on time under the virtual clock, a waited-for event moves the participant in the delivery
 * that records it, a goal stops a waiting participant at once, a suppressed customer's runs stop,
 * the dashboard's participant counts are logged, and a waiting participant costs nothing until it
 * wakes. Version pinning across a deployment: journey-versions.test.ts.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '#infra/lifecycle-app.ts';
import type { CloudUsage } from '#local/local-cloud.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import { readMembership } from '#shared/journeys/membership.ts';
import { Probes } from '#tests/fixtures/probes.ts';
import { emitAndSettle, eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { systemEvents, type SystemEvent } from '#tests/support/observe.ts';

// 10:00 in Seoul on a Monday.
const START = Date.parse('2026-11-23T01:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const JOURNEYS = {
  'engine-waits.yaml': `name: engine-waits
version: 1
description: Each kind of wait, one after the other.
trigger: { event: lead.captured }
exit: { goals: [order.placed] }
steps:
  - { id: two-hours, wait: { for: 2h } }
  - { id: said-two-hours, emit: { detailType: journey.engine.two-hours } }
  - { id: morning, wait: { until: "09:00" } }
  - { id: said-morning, emit: { detailType: journey.engine.morning } }
  - id: look
    waitForEvent:
      event: product.viewed
      timeout: 1d
      then: [{ id: came, emit: { detailType: journey.engine.came } }]
      else: [{ id: timed-out, emit: { detailType: journey.engine.timed-out } }]
  - { id: end, emit: { detailType: journey.engine.end } }
`,
  'long-wait.yaml': `name: long-wait
version: 1
description: Thirty days of waiting.
trigger: { event: campaign.touched }
steps:
  - { id: month, wait: { for: 30d } }
  - { id: woke, emit: { detailType: journey.long.woke } }
`,
  'gauge.yaml': `name: gauge
version: 1
description: An hour's wait, to count who waits.
trigger: { event: content.viewed }
steps:
  - { id: hour, wait: { for: 1h } }
  - { id: done, emit: { detailType: journey.gauge.done } }
`,
  'mailing.yaml': `name: mailing
version: 1
description: A welcome, then two days' wait.
trigger: { event: lead.captured, profile: { consent: newsletter } }
steps:
  - { id: hello, send: { template: welcome, kind: marketing, topic: newsletter } }
  - { id: two-days, wait: { for: 2d } }
  - { id: later, emit: { detailType: journey.mailing.later } }
`,
};

let dir: string;
let test: TestCloud;
const seen: SystemEvent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journey-engine-'));
  const journeysDir = join(dir, 'journeys');
  await mkdir(journeysDir);
  for (const [file, text] of Object.entries(JOURNEYS)) await writeFile(join(journeysDir, file), text);
  const assemblyDir = await synthesize({ outdir: join(dir, 'assembly'), journeysDir, extend: (stack) => new Probes(stack, 'Probes') });
  test = await startTestCloud({ speed: 0, startTime: START, assemblyDir, logDir: join(dir, 'logs') });
}, 180_000);

afterAll(async () => {
  await test?.stop();
  await rm(dir, { recursive: true, force: true });
});

const store = () => ({ ddb: test.ddb, tableName: test.tableName });
const emit = (events: EmitInput[]) => emitAndSettle(test, events);
const lead = (id: string): EmitInput =>
  ({ detailType: 'lead.captured', detail: { customer: { id, email: `${id}@example.com`, timezone: 'Asia/Seoul' }, data: { channel: 'web' } } }) as EmitInput;
/** The journey events a customer's participant emitted so far, by detail-type. */
const said = async (customerId: string) =>
  (await systemEvents(test, seen)).filter((event) => event.detail.customerId === customerId).map((event) => event['detail-type']);

async function advance(ms: number, step = 6 * HOUR) {
  for (let done = 0; done < ms; done += step) {
    test.cloud.clock.advance(Math.min(step, ms - done));
    await test.cloud.settle(120_000);
  }
}

/** What the engine was billed for so far: its invocations, its DynamoDB units, and Scheduler's invocations. */
function engineUsage(usage: CloudUsage) {
  const [name = ''] = Object.keys(usage.lambda).filter((each) => each.includes('JourneysRuntime'));
  const units = usage.dynamodb.byCaller[name];
  return {
    requests: usage.lambda[name]?.requests ?? 0,
    units: (units?.readUnits ?? 0) + (units?.writeUnits ?? 0),
    schedulerInvocations: usage.scheduler.invocations,
  };
}

describe('the journey engine', () => {
  it('wakes a participant when each kind of wait ends, not a minute before', { timeout: 120_000 }, async () => {
    await emit([lead('e-waits')]);
    await advance(2 * HOUR - MINUTE, HOUR);
    expect(await said('e-waits')).toEqual([]);
    await advance(MINUTE, MINUTE);
    expect(await said('e-waits')).toEqual(['journey.engine.two-hours']);

    // 12:00 in Seoul now: the next 09:00 there is 00:00 UTC tomorrow, 21 hours on.
    await advance(21 * HOUR - MINUTE, 3 * HOUR);
    expect(await said('e-waits')).toEqual(['journey.engine.two-hours']);
    await advance(MINUTE, MINUTE);
    expect(await said('e-waits')).toEqual(['journey.engine.two-hours', 'journey.engine.morning']);

    // Nobody views a product: the wait for one times out after a day.
    await advance(DAY - MINUTE, 6 * HOUR);
    expect(await said('e-waits')).toHaveLength(2);
    await advance(MINUTE, MINUTE);
    expect(await said('e-waits')).toEqual(['journey.engine.two-hours', 'journey.engine.morning', 'journey.engine.timed-out', 'journey.engine.end']);
    expect((await readMembership(store(), 'e-waits', 'engine-waits'))?.lastOutcome).toBe('completed');
  });

  it('moves a participant on in the same delivery that records the event it waits for, and cancels its timeout', { timeout: 120_000 }, async () => {
    await emit([lead('e-came')]);
    await advance(2 * HOUR, HOUR);
    await advance(22 * HOUR, 2 * HOUR);
    expect(await said('e-came')).toEqual(['journey.engine.two-hours', 'journey.engine.morning']);
    const waiting = test.cloud.pendingSchedules();

    await emit([{ detailType: 'product.viewed', detail: { customer: { id: 'e-came' }, data: { productId: 'p-lamp' } } } as EmitInput]);

    // No time has passed: the event itself moved the participant.
    expect(await said('e-came')).toEqual(['journey.engine.two-hours', 'journey.engine.morning', 'journey.engine.came', 'journey.engine.end']);
    expect(test.cloud.pendingSchedules()).toBe(waiting - 1);
  });

  it('stops a waiting participant at once when the goal event arrives', { timeout: 60_000 }, async () => {
    await emit([lead('e-goal')]);
    const waiting = test.cloud.pendingSchedules();
    await emit([
      {
        detailType: 'order.placed',
        detail: { customer: { id: 'e-goal' }, data: { orderId: 'o-1', items: [{ productId: 'p-lamp', quantity: 1, price: 39 }], total: 39, currency: 'EUR' } },
      } as EmitInput,
    ]);

    const membership = await readMembership(store(), 'e-goal', 'engine-waits');
    expect(membership?.activeRunId).toBeUndefined();
    expect(membership?.lastOutcome).toBe('converted');
    expect(test.cloud.pendingSchedules()).toBe(waiting - 1);
    await advance(3 * HOUR, HOUR);
    expect(await said('e-goal')).toEqual([]);
  });

  it('stops every run of a customer whose address is suppressed, with their wake-ups', { timeout: 120_000 }, async () => {
    const before = test.cloud.pendingSchedules();
    // The mailbox simulator's bounce address: SES reports a permanent bounce, and the address is suppressed.
    await emit([
      {
        detailType: 'lead.captured',
        detail: {
          customer: { id: 's-bounce', email: 'bounce@simulator.amazonses.com', timezone: 'Asia/Seoul' },
          data: { channel: 'web', consent: { email: true, topics: ['newsletter'] } },
        },
      } as EmitInput,
    ]);
    const membership = (journey: string) => readMembership(store(), 's-bounce', journey);
    expect((await membership('mailing'))?.activeRunId).toBeDefined();
    // SES reports the bounce a moment after the send.
    await advance(10 * MINUTE, MINUTE);
    expect((await membership('mailing'))?.lastOutcome).toBe('suppressed');

    // Both journeys the lead entered stopped, and neither wakes: no schedule is left for them.
    expect((await membership('engine-waits'))?.lastOutcome).toBe('suppressed');
    expect((await membership('mailing'))?.activeRunId).toBeUndefined();
    expect(test.cloud.pendingSchedules()).toBe(before);
    await advance(3 * DAY, DAY);
    expect(await said('s-bounce')).toEqual([]);
  });

  it('logs how many participants wait in a journey version whenever entering or ending changes it', { timeout: 60_000 }, async () => {
    const viewers = ['g-1', 'g-2', 'g-3'];
    await emit(viewers.map((id) => ({ detailType: 'content.viewed', detail: { customer: { id }, data: { contentId: 'guide' } } }) as EmitInput));
    await advance(HOUR, HOUR);

    // The dashboard's metric filter reads these lines (message, journey, version, participants).
    const counts = async (fn: string, expected: number) =>
      eventually(async () => {
        const [name = ''] = test.cloud.services.lambda
          .list()
          .map((each) => each.name)
          .filter((each) => each.includes(fn));
        const text = await readFile(join(dir, 'logs', 'functions', `${name}.log`), 'utf8').catch(() => '');
        const lines = text
          .split('\n')
          .filter((line) => line.includes('"journey participants"'))
          .map((line) => JSON.parse(line) as { journey: string; version: number; participants: number });
        const gauge = lines.filter((line) => line.journey === 'gauge' && line.version === 1).map((line) => line.participants);
        return gauge.length === expected ? gauge.sort() : undefined;
      }, `${expected} participant counts from ${fn}`);
    // Three entered one after the other (1, 2, 3 in some order), then each ended (2, 1, 0).
    expect(await counts('JourneysTriggerGate', 3)).toEqual([1, 2, 3]);
    expect(await counts('JourneysRuntime', 3)).toEqual([0, 1, 2]);
  });

  it('bills nothing for 100 participants while they wait 30 days, and wakes each once', { timeout: 300_000 }, async () => {
    const customers = Array.from({ length: 100 }, (_, n) => `w-${String(n).padStart(3, '0')}`);
    await emit(customers.map((id) => ({ detailType: 'campaign.touched', detail: { customer: { id }, data: { channel: 'ad' } } }) as EmitInput));
    const parked = engineUsage(test.cloud.usage());
    expect(test.cloud.pendingSchedules()).toBeGreaterThanOrEqual(100);

    await advance(30 * DAY - HOUR, DAY);
    const waited = engineUsage(test.cloud.usage());
    expect(waited).toEqual(parked);

    await advance(HOUR, HOUR);
    const woke = engineUsage(test.cloud.usage());
    expect(woke.schedulerInvocations - waited.schedulerInvocations).toBe(100);
    expect(woke.requests - waited.requests).toBe(100);
    const events = await systemEvents(test, seen);
    expect(events.filter((event) => event['detail-type'] === 'journey.long.woke' && customers.includes(event.detail.customerId ?? ''))).toHaveLength(100);
  });

  it('ends a run at once when its goal event was recorded after the trigger happened but before the run waited', { timeout: 60_000 }, async () => {
    // The order is delivered ahead of the sign-up that happened a minute before it: when the
    // order reaches the engine, nobody waits for it yet.
    const signedUp = new Date(test.cloud.clock.now() - MINUTE).toISOString();
    await emit([
      {
        detailType: 'order.placed',
        detail: { customer: { id: 'e-early' }, data: { orderId: 'o-2', items: [{ productId: 'p-lamp', quantity: 1, price: 39 }], total: 39, currency: 'EUR' } },
      } as EmitInput,
    ]);
    const waiting = test.cloud.pendingSchedules();
    await emit([{ ...lead('e-early'), detail: { ...lead('e-early').detail, occurredAt: signedUp } } as EmitInput]);

    const membership = await readMembership(store(), 'e-early', 'engine-waits');
    expect(membership?.lastOutcome).toBe('converted');
    expect(membership?.activeRunId).toBeUndefined();
    // Its wake-up was cancelled with it.
    expect(test.cloud.pendingSchedules()).toBe(waiting);
  });
});
