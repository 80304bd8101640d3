/**
 * At-least-once on every hop: a slice of the standard workload (bench/workload.ts) runs twice, in
 * two fresh local clouds started at the same virtual time — once clean, once with the local
 * cloud's at-least-once mode on (local/at-least-once.ts), which delivers every internal message a
 * second time, the copy up to a bound later and so behind messages sent after it: each rule's
 * delivery to its target, each message on a standard queue, each schedule firing, each event SES
 * publishes, each entry a function puts on the bus (as a new event with an id of its own, as a
 * producer's retry after a lost answer makes), and each Lambda task of a state machine (run twice,
 * the first answer dropped). The design promises that every consumer is idempotent: so both runs
 * must end in the same state — profiles and timelines, journey memberships and metrics, segment
 * snapshots, recommendations, the message log, identities and addresses, compared whole — and
 * every address must get the same emails.
 *
 * The tolerances are named where they are used: those of profiles (compare-runs.ts: the time a
 * stage was reached, decayed scores within a rounding step, frequency-cap races) and those of the
 * other items (STORE_TOLERANCES in support/whole-state.ts), each with its reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadOptions } from '#bench/workload.ts';
import type { Hop } from '#local/at-least-once.ts';
import type { TestCloud } from '#tests/support/local-cloud.ts';
import { compareEmails, compareProfiles } from './support/compare-runs.ts';
import { recordCount } from './support/counts.ts';
import { sentTwice } from './support/end-state.ts';
import { compareStores } from './support/store-comparison.ts';
import { snapshotStore, type StoreSnapshot } from './support/store-snapshot.ts';
import { onceEach, STORE_TOLERANCES } from './support/whole-state.ts';
import { runInFreshCloud, type CompletedRun } from './support/workload-run.ts';

// Midnight UTC, time standing still unless the workload moves it: both runs see the same clock.
const START = Date.parse('2026-11-02T00:00:00Z');
// A small slice: tens of customers over a few days still meets every persona, journeys that wait,
// SES feedback, the nightly scoring and segment evaluation, recommendations and support requests.
// Steps of two hours, so that the nightly scoring (02:00) has finished before the segments built
// on its scores are evaluated (04:00), as in AWS: a step longer than the two hours between them
// would now and then (the drains below shift the steps) fire both at once, and they would race —
// the copy of an evaluation winning the race its first delivery lost.
const WORKLOAD: WorkloadOptions = { customers: 20, days: 4, seed: 20261207, stepHours: 2 };
const MAX_DELAY_SECONDS = 30;
const SECOND = 1000;

/**
 * After each step, time moves on in slices as long as the bound, so that copies — and the copies
 * of what they start, hop after hop — arrive within the step, as they would within minutes in
 * AWS. Both runs drain alike, so the clean run sees the same clock.
 */
const drain = () => ({ times: 6, everyMs: MAX_DELAY_SECONDS * SECOND });
/**
 * And before each step's events: the timers that fell due in the step fired hours before it ends
 * (the nightly scoring at 02:00, the segment evaluation at 04:00, a journey's wake-up), so their
 * copies come long before the step's events — not after them, as they would if the clock moved
 * only once the events were in.
 */
const drainFirst = drain;

/** The hops, as the counts table names them. */
const HOP_NAMES: Readonly<Record<Hop, string>> = {
  'events.delivery': 'rule deliveries to a target',
  'events.put': 'entries put on the bus',
  sqs: 'standard-queue messages',
  scheduler: 'schedule firings',
  'ses.events': 'SES events published',
  'states.task': 'state-machine Lambda tasks',
};

interface Seen {
  store?: StoreSnapshot;
  copies?: ReadonlyMap<Hop, number>;
}

/** After the workload: a last drain, then the store as it was left, and the copies delivered. */
const readStore = (seen: Seen) => async (test: TestCloud) => {
  for (let n = 0; n < 6; n++) {
    test.cloud.clock.advance(MAX_DELAY_SECONDS * SECOND);
    await test.cloud.settle(300_000);
  }
  seen.store = await snapshotStore(test);
  seen.copies = new Map(test.cloud.atLeastOnce.copies);
};

let clean: CompletedRun;
let twice: CompletedRun;
const cleanSeen: Seen = {};
const twiceSeen: Seen = {};

beforeAll(async () => {
  // One cloud at a time: the local SES inbox is shared by the process.
  clean = await runInFreshCloud({ workload: WORKLOAD, start: START, drain, drainFirst, after: readStore(cleanSeen) });
  twice = await runInFreshCloud({
    workload: WORKLOAD,
    start: START,
    drain,
    drainFirst,
    before: (test) => test.cloud.atLeastOnce.set({ maxDelaySeconds: MAX_DELAY_SECONDS }),
    after: readStore(twiceSeen),
  });
}, 900_000);

describe('every message delivered twice, the copy out of order', () => {
  it('delivered a copy on every hop', () => {
    const copies = twiceSeen.copies ?? new Map<Hop, number>();

    expect(cleanSeen.copies?.size).toBe(0);
    expect([...copies.keys()].sort()).toEqual(Object.keys(HOP_NAMES).sort());
    for (const [hop, name] of Object.entries(HOP_NAMES)) recordCount(`messages delivered twice: ${name}`, copies.get(hop as Hop) ?? 0);
  });

  it('ends every customer the same: stage, counters, revenue, consent, attributes, support, history, timeline', () => {
    const { differences, compared } = compareProfiles(clean.state, twice.state);

    expect(compared).toBeGreaterThanOrEqual(WORKLOAD.customers);
    expect(differences).toEqual([]);
    recordCount('profiles compared after at-least-once delivery', compared);
  });

  it('leaves every other item the same: memberships, journey metrics, segments, recommendations, message log', () => {
    const { differences, compared } = compareStores(cleanSeen.store ?? new Map(), twiceSeen.store ?? new Map(), STORE_TOLERANCES);

    expect(differences).toEqual([]);
    // Every kind the comparison promises was there to compare. (This slice buys and views one
    // product a customer, so the recommendations are products' counts and markers, no pairs yet.)
    expect([...compared.keys()]).toEqual(
      expect.arrayContaining([
        'journey membership',
        'journey metrics',
        'segment snapshot',
        'product count',
        'product-order marker',
        'product-view marker',
        'message',
        'customer outreach',
      ]),
    );
    recordCount(
      'stored items compared whole after at-least-once delivery',
      [...compared.values()].reduce((sum, n) => sum + n, 0),
    );
  });

  it('sends every address the same emails, and no message key twice', () => {
    const { differences, compared } = compareEmails(clean.state, twice.state);

    expect(differences).toEqual([]);
    // The probe hears each announcement as often as it was delivered; an email sent twice for a key
    // would be announced with two SES ids.
    expect(sentTwice({ ...twice.state, systemEvents: onceEach(twice.state.systemEvents) })).toEqual([]);
    expect([...twice.state.emails.values()].flat().filter((email) => email.template === 'unrecorded')).toEqual([]);
    expect(compared).toBeGreaterThan(WORKLOAD.customers);
    recordCount('emails compared after at-least-once delivery', compared);
  });
});
