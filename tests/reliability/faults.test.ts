/**
 * Faults, then an operator's redrive: the standard workload runs in a cloud whose parts fail at a
 * steady rate — SES throttles, DynamoDB throttles, the record and sender functions fail or time
 * out, the bus fails to deliver — and in its last step an outage: the record function fails every
 * time, SES refuses everything, the learner's route delivers nothing. Then the faults clear and
 * the operator does what the README says: `lifecycle dlq list`, `lifecycle dlq redrive`. Once it
 * settles, every customer must end as in a clean run of the same workload started at the same
 * virtual time: same profiles, same emails, nothing sent twice, and nothing left in a dead-letter
 * queue but the events that broke the contract.
 *
 * The faults are where the design promises a way back (retries, a dead-letter queue, a redrive).
 * Left out on purpose: the feedback function (it consumes SES's own events, which a redrive cannot
 * put back: an `aws.*` source) and the journey launcher (a failed trigger gate's record holds the
 * rule's custom input, not the event; see the report of this test's author).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadOptions } from '#bench/workload.ts';
import type { FaultRule } from '#local/faults.ts';
import type { QueuePeek, QueueRedrive } from '#shared/operations/dead-letter-queues.ts';
import type { TestCloud } from '#tests/support/local-cloud.ts';
import { compareEmails, compareProfiles, receivedBy } from './support/compare-runs.ts';
import { CountLabels, recordCount } from './support/counts.ts';
import { sentTwice } from './support/end-state.ts';
import { lifecycleJson } from './support/lifecycle-cli.ts';
import { runInFreshCloud, type CompletedRun } from './support/workload-run.ts';

// Midnight UTC, time standing still unless the workload moves it: both runs see the same clock.
const START = Date.parse('2026-11-02T00:00:00Z');
const WORKLOAD: WorkloadOptions = { customers: 16, days: 10, seed: 20261103, stepHours: 12 };
const STEPS = (WORKLOAD.days * 24) / (WORKLOAD.stepHours ?? 6);
const MINUTE = 60_000;
// After each step, time moves on in slices past the longest wait for a retry: the outreach
// queue's visibility timeout (6 minutes), EventBridge's back-off (up to 5), Lambda's (1 and 2).
const DRAIN = { times: 6, everyMs: 8 * MINUTE };
const FAULT_SEED = 20261122;

/** Failing all the time somewhere, a little: every call decides by a seeded draw. */
const BACKGROUND: readonly FaultRule[] = [
  { point: 'ses', rate: 0.3, error: 'TooManyRequestsException' },
  { point: 'dynamodb', rate: 0.01, error: 'ProvisionedThroughputExceededException' },
  { point: 'lambda', resource: 'RecordEvent', rate: 0.07 },
  { point: 'lambda', resource: 'OutreachSender', rate: 0.1 },
  { point: 'lambda.timeout', resource: 'RecordEvent', rate: 0.03 },
  { point: 'events.delivery', rate: 0.1 },
];

/** The last step's outage (the first rule for a point and resource wins, so these go first). */
const OUTAGE: readonly FaultRule[] = [
  { point: 'lambda', resource: 'RecordEvent', rate: 1 },
  { point: 'ses', rate: 1, error: 'TooManyRequestsException' },
  { point: 'events.delivery', resource: 'LearnProducts', rate: 1 },
  ...BACKGROUND,
];

/** Moves the clock on in slices, letting the cloud settle after each. */
async function advance(test: TestCloud, times: number, everyMs: number): Promise<void> {
  for (let n = 0; n < times; n++) {
    test.cloud.clock.advance(everyMs);
    await test.cloud.settle(300_000);
  }
}

interface Operator {
  listed?: QueuePeek[];
  redrive?: { redriven: number; left: number; queues: QueueRedrive[] };
  listedAfter?: QueuePeek[];
  injected?: number;
}

/**
 * What follows the workload, the same in both runs so their clocks agree: the failing run's
 * retries run out (faults still on), the faults clear, the operator lists and redrives, and time
 * moves on half a day so that what was redriven — and any email it deferred past quiet hours —
 * is done.
 */
function afterWorkload(operator?: Operator) {
  return async (test: TestCloud) => {
    await advance(test, DRAIN.times, DRAIN.everyMs);
    if (operator) {
      operator.injected = [...test.cloud.faults.injected.values()].reduce((sum, n) => sum + n, 0);
      test.cloud.faults.set([]);
    }
    await advance(test, 1, DRAIN.everyMs);
    if (operator) {
      operator.listed = (await lifecycleJson<{ queues: QueuePeek[] }>(test, 'dlq', 'list')).queues;
      operator.redrive = await lifecycleJson(test, 'dlq', 'redrive');
    }
    await advance(test, 24, 30 * MINUTE);
    if (operator) operator.listedAfter = (await lifecycleJson<{ queues: QueuePeek[] }>(test, 'dlq', 'list')).queues;
  };
}

let clean: CompletedRun;
let failing: CompletedRun;
let cleanLeft: QueuePeek[];
const operator: Operator = {};

beforeAll(async () => {
  // One cloud at a time: the local SES inbox is shared by the process.
  const cleanOperator: Operator = {};
  clean = await runInFreshCloud({
    workload: WORKLOAD,
    start: START,
    drain: DRAIN,
    after: async (test) => {
      await afterWorkload()(test);
      cleanOperator.listedAfter = (await lifecycleJson<{ queues: QueuePeek[] }>(test, 'dlq', 'list')).queues;
    },
  });
  cleanLeft = cleanOperator.listedAfter ?? [];
  failing = await runInFreshCloud({
    workload: WORKLOAD,
    start: START,
    drain: DRAIN,
    beforeStep: (step, test) => {
      if (step === STEPS) test.cloud.faults.set(OUTAGE);
    },
    before: (test) => test.cloud.faults.set(BACKGROUND, FAULT_SEED),
    after: afterWorkload(operator),
  });
}, 900_000);

describe('faults, then lifecycle dlq redrive', () => {
  it('injected faults of every kind, and the outage filled the dead-letter queues', () => {
    expect(operator.injected).toBeGreaterThan(100);
    const redrivable = (operator.listed ?? []).reduce((sum, queue) => sum + queue.redrivable, 0);
    expect(redrivable).toBeGreaterThan(0);
    recordCount(CountLabels.FaultsInjected, operator.injected ?? 0);
  });

  it('redrives what failed and leaves only what was rejected', () => {
    expect(operator.redrive?.redriven).toBeGreaterThan(0);
    const leftReasons = (operator.listedAfter ?? []).flatMap((queue) => queue.reasons.map((reason) => `${queue.queue}: ${reason.kind} ${reason.reason}`));
    expect(leftReasons.filter((reason) => !reason.includes(' rejected '))).toEqual([]);
    // The same rejected events as in the clean run, queue by queue.
    const left = (peeks: readonly QueuePeek[]) => Object.fromEntries(peeks.map((queue) => [queue.queue, queue.messages]));
    expect(left(operator.listedAfter ?? [])).toEqual(left(cleanLeft));
    recordCount(CountLabels.EventsRedriven, operator.redrive?.redriven ?? 0);
  });

  it('ends every customer as in the clean run', () => {
    const { differences, compared } = compareProfiles(clean.state, failing.state);

    expect(compared).toBeGreaterThanOrEqual(WORKLOAD.customers);
    expect(differences).toEqual([]);
    recordCount('profiles compared after faults and redrive', compared);
  });

  it('sends every address the same emails as the clean run, none twice', () => {
    const [expected, actual] = [receivedBy(clean.state), receivedBy(failing.state)];

    expect(compareEmails(expected, actual)).toEqual([]);
    expect(sentTwice(failing.state)).toEqual([]);
    expect([...failing.state.emails.values()].flat().filter((email) => email.template === 'unrecorded')).toEqual([]);
    recordCount('emails compared after faults and redrive', [...actual.values()].flat().length);
  });
});
