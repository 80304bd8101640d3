/**
 * Faults, then an operator's redrive: the standard workload runs in a cloud where SES and DynamoDB
 * throttle all along, and in its last step an outage: the record function fails every time, the
 * sender fails or times out, the bus fails to deliver, SES and DynamoDB throttle more. Then the
 * faults clear and the operator does what the README says: `lifecycle dlq list`, `lifecycle dlq
 * redrive`. Once it settles, every customer must end as in a clean run of the same workload
 * started at the same virtual time: same profiles, same emails, nothing sent twice, and nothing
 * left in a dead-letter queue but the events that broke the contract (the workload sends a few).
 *
 * The faults are where the design promises a way back (retries, a dead-letter queue, a redrive).
 * Every dead letter has one: an event from an AWS service (SES feedback, a schedule), which the bus
 * would refuse, and a rule's custom input go straight back to the target or function they failed
 * at. The local cloud decides each fault from the seed and the call itself, not from the order
 * calls arrive in, so the same calls fail in every run (see local/faults.ts).
 *
 * Compared more loosely, as in duplicates-and-order.test.ts: which of two marketing emails due at
 * the same moment takes the last frequency-cap slot, and when the system's automated answer to a
 * support request came (later, if the request waited in a dead-letter queue).
 *
 * The outage is the last step's on purpose: the operator redrives before any journey wakes up to
 * act on a profile the outage left incomplete. An outage in mid-run would let a journey decide on
 * such a profile (a cart reminder for a customer whose order was parked), which a redrive cannot
 * undo — a real consequence of an outage, not something this test could compare.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadOptions } from '#bench/workload.ts';
import type { FaultRule } from '#local/faults.ts';
import type { QueuePeek, QueueRedrive } from '#shared/operations/dead-letter-queues.ts';
import type { TestCloud } from '#tests/support/local-cloud.ts';
import { compareEmails, compareProfiles } from './support/compare-runs.ts';
import { CountLabels, recordCount } from './support/counts.ts';
import { sentTwice } from './support/end-state.ts';
import { lifecycleJson } from './support/lifecycle-cli.ts';
import { runInFreshCloud, type CompletedRun } from './support/workload-run.ts';

// Midnight UTC, time standing still unless the workload moves it: both runs see the same clock.
const START = Date.parse('2026-11-02T00:00:00Z');
const WORKLOAD: WorkloadOptions = { customers: 16, days: 10, seed: 20261103, stepHours: 12 };
const STEPS = (WORKLOAD.days * 24) / (WORKLOAD.stepHours ?? 6);
const MINUTE = 60_000;
const FAULT_SEED = 20261122;

/**
 * All along, a little of what is retried on the spot, within the call: SES throttles (the sender
 * backs off and tries again, then gives the request back to the queue) and DynamoDB throttles
 * (the SDK's retries). Faults whose retries wait on the clock — a function's, a delivery's — are
 * kept to the outage: a retry minutes later can legitimately change what the system does by the
 * clock (which of two emails a frequency cap lets through, which night's scores a late order
 * counts in), and this test compares outcomes, not timings.
 */
const BACKGROUND: readonly FaultRule[] = [
  { point: 'ses', rate: 0.3, error: 'TooManyRequestsException' },
  { point: 'dynamodb', rate: 0.01, error: 'ProvisionedThroughputExceededException' },
];

/**
 * The last step's outage: the record function fails or times out every time (its events are
 * parked), the sender fails or times out about half the time, the learner's route delivers
 * nothing, the bus fails other deliveries often, SES and DynamoDB throttle more. For each point
 * and resource, the first rule that names it wins.
 */
const OUTAGE: readonly FaultRule[] = [
  { point: 'lambda', resource: 'RecordEvent', rate: 0.6 },
  { point: 'lambda.timeout', resource: 'RecordEvent', rate: 1 },
  { point: 'lambda', resource: 'OutreachSender', rate: 0.3 },
  { point: 'lambda.timeout', resource: 'OutreachSender', rate: 0.3 },
  { point: 'events.delivery', resource: 'LearnProducts', rate: 1 },
  { point: 'events.delivery', rate: 0.3 },
  { point: 'ses', rate: 0.5, error: 'TooManyRequestsException' },
  { point: 'dynamodb', rate: 0.03, error: 'ProvisionedThroughputExceededException' },
];

/**
 * After each step, time moves on past the outreach queue's visibility timeout (6 minutes), so a
 * send request given back to the queue goes out within the step. After the outage's step, seven
 * slices of 8 minutes: past EventBridge's back-off (up to 5 minutes a try) and the seven receives
 * that move a send request to its dead-letter queue, short of the hour the shortest journey waits.
 */
const drain = (step: number) => (step === STEPS ? { times: 7, everyMs: 8 * MINUTE } : { times: 1, everyMs: 7 * MINUTE });

/** Moves the clock on in slices, letting the cloud settle after each. */
async function advance(test: TestCloud, times: number, everyMs: number): Promise<void> {
  for (let n = 0; n < times; n++) {
    test.cloud.clock.advance(everyMs);
    await test.cloud.settle(300_000);
  }
}

const listDeadLetters = async (test: TestCloud): Promise<QueuePeek[]> => (await lifecycleJson<{ queues: QueuePeek[] }>(test, 'dlq', 'list')).queues;

interface Operator {
  /** Faults injected, by point. */
  injected?: ReadonlyMap<string, number>;
  listed?: QueuePeek[];
  redrive?: { redriven: number; left: number; queues: QueueRedrive[] };
  listedAfter?: QueuePeek[];
}

/**
 * What follows the workload, on the same clock in both runs. In the failing one the outage ends
 * (the faults clear) and the operator lists and redrives at once — before any journey wakes up to
 * act on a profile the outage left incomplete. Then half a day passes, so that what was redriven,
 * and any email it deferred past quiet hours, is done.
 */
function afterWorkload(operator: Operator, failing: boolean) {
  return async (test: TestCloud) => {
    if (failing) {
      operator.injected = new Map(test.cloud.faults.injected);
      test.cloud.faults.set([]);
      operator.listed = await listDeadLetters(test);
      operator.redrive = await lifecycleJson(test, 'dlq', 'redrive');
    }
    await advance(test, 24, 30 * MINUTE);
    operator.listedAfter = await listDeadLetters(test);
  };
}

let clean: CompletedRun;
let failing: CompletedRun;
const cleanOperator: Operator = {};
const operator: Operator = {};

beforeAll(async () => {
  // One cloud at a time: the local SES inbox is shared by the process.
  clean = await runInFreshCloud({ workload: WORKLOAD, start: START, drain, after: afterWorkload(cleanOperator, false) });
  failing = await runInFreshCloud({
    workload: WORKLOAD,
    start: START,
    drain,
    before: (test) => test.cloud.faults.set(BACKGROUND, FAULT_SEED),
    // The outage begins once the step before the last has settled: the last step's timers and
    // events all meet it.
    afterStep: (step, test) => {
      if (step === STEPS - 1) test.cloud.faults.set(OUTAGE);
    },
    after: afterWorkload(operator, true),
  });
}, 900_000);

describe('faults, then lifecycle dlq redrive', () => {
  it('injected faults of every kind, and the outage filled the dead-letter queues', () => {
    const injected = operator.injected ?? new Map<string, number>();
    expect([...injected.keys()].sort()).toEqual(['dynamodb', 'events.delivery', 'lambda', 'lambda.timeout', 'ses']);
    const redrivable = (operator.listed ?? []).reduce((sum, queue) => sum + queue.redrivable, 0);
    // Every event of the last step was parked by its workflow, with the error that stopped it.
    const parkedFor = new Set(
      (operator.listed ?? [])
        .filter((queue) => queue.queue.endsWith('-workflow'))
        .flatMap((queue) => queue.reasons.filter((reason) => reason.kind === 'failed').map((reason) => reason.reason)),
    );
    expect(redrivable).toBeGreaterThan(0);
    expect([...parkedFor].sort()).toEqual(['InjectedFault', 'Sandbox.Timedout']);
    recordCount(
      CountLabels.FaultsInjected,
      [...injected.values()].reduce((sum, n) => sum + n, 0),
    );
    for (const [point, n] of [...injected].sort()) recordCount(`faults injected: ${point}`, n);
  });

  it('redrives what failed and leaves only what was rejected', () => {
    expect(operator.redrive?.redriven).toBeGreaterThan(0);
    const leftReasons = (operator.listedAfter ?? []).flatMap((queue) => queue.reasons.map((reason) => `${queue.queue}: ${reason.kind} ${reason.reason}`));
    expect(leftReasons.filter((reason) => !reason.includes(' rejected '))).toEqual([]);
    // The same rejected events as in the clean run, queue by queue.
    const left = (peeks: readonly QueuePeek[]) => Object.fromEntries(peeks.map((queue) => [queue.queue, queue.messages]));
    expect(left(operator.listedAfter ?? [])).toEqual(left(cleanOperator.listedAfter ?? []));
    recordCount(CountLabels.EventsRedriven, operator.redrive?.redriven ?? 0);
  });

  it('ends every customer as in the clean run', () => {
    const { differences, compared } = compareProfiles(clean.state, failing.state, { delayed: true });

    expect(compared).toBeGreaterThanOrEqual(WORKLOAD.customers);
    expect(differences).toEqual([]);
    recordCount('profiles compared after faults and redrive', compared);
  });

  it('sends every address the same emails as the clean run, none twice', () => {
    const { differences, compared, capSwaps } = compareEmails(clean.state, failing.state);

    expect(differences).toEqual([]);
    expect(sentTwice(failing.state)).toEqual([]);
    expect([...failing.state.emails.values()].flat().filter((email) => email.template === 'unrecorded')).toEqual([]);
    recordCount('emails compared after faults and redrive', compared);
    recordCount('frequency-cap races (either email may win)', capSwaps);
  });
});
