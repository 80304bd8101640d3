/**
 * At-least-once, out-of-order delivery: the standard workload (bench/workload.ts) runs twice, in
 * two fresh local clouds started at the same virtual time — once as business systems send it, once
 * with every event delivered three times and each customer's events of a step shuffled (seeded).
 * The design promises that every consumer is idempotent and order-tolerant, and that no customer
 * ever gets the same message twice: so both runs must end with the same profiles and the same
 * emails in every inbox — each event counted once and kept once on the timeline — and every
 * extra delivery must be recognised as a duplicate. Both runs go through the same delivery shim
 * (support/delivery-shim.ts), so they differ only in how events were delivered.
 *
 * What may legitimately differ, and is compared more loosely on purpose:
 * - `stageSince`, when the customer reached their stage: it never moves back, so when a later
 *   event of the same transition arrives first it sets the time (see compare-runs.ts); it must
 *   still lie within the customer's history. Nothing decides on it (no condition reads it).
 * - decayed scores (engagement, interests) are compared within a rounding step: they are sums
 *   rounded at each event, so the same points added in another order can differ in the last digit.
 * - which of two marketing emails falling due at the same moment takes a customer's last
 *   frequency-cap slot: they race, either may win (see compareEmails); the other is skipped as
 *   capped, never sent too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadOptions } from '#bench/workload.ts';
import { compareEmails, compareProfiles } from './support/compare-runs.ts';
import { CountLabels, recordCount } from './support/counts.ts';
import { sentTwice } from './support/end-state.ts';
import { shuffledDelivery } from './support/shuffled-delivery.ts';
import { logged, runInFreshCloud, type CompletedRun } from './support/workload-run.ts';

// Midnight UTC, time standing still unless the workload moves it: both runs see the same clock.
const START = Date.parse('2026-11-02T00:00:00Z');
// Small enough to stay well under a minute and a half on two cores (four runs' worth of events:
// one orderly, three copies shuffled), big enough for every persona and journey to show up.
const WORKLOAD: WorkloadOptions = { customers: 24, days: 10, seed: 20261102, stepHours: 12 };
const COPIES = 3;

const eventsCounted = (run: CompletedRun): number => [...run.state.profiles.values()].reduce((sum, profile) => sum + profile.counters.events, 0);

let orderly: CompletedRun;
let hostile: CompletedRun;
const plan = shuffledDelivery({ copies: COPIES, seed: 7 });

beforeAll(async () => {
  // One cloud at a time: the local SES inbox is shared by the process.
  orderly = await runInFreshCloud({ workload: WORKLOAD, start: START });
  hostile = await runInFreshCloud({ workload: WORKLOAD, start: START, plan });
}, 600_000);

describe('delivered three times and out of order', () => {
  it('delivered every event three times, many of them before an event that happened earlier', () => {
    expect(hostile.sent).toBe(orderly.sent);
    expect(hostile.delivered).toBe(COPIES * orderly.sent);
    expect(plan.stats().overtaking).toBeGreaterThan(orderly.sent / 20);
    recordCount('deliveries ahead of an earlier event', plan.stats().overtaking);
  });

  it('applies each event once, and recognises every extra delivery as a duplicate', () => {
    const businessEvents = hostile.workload.events - hostile.workload.malformed;
    const duplicates = logged(hostile, 'RecordEvent', 'duplicate event ignored');

    expect(eventsCounted(hostile)).toBe(eventsCounted(orderly));
    expect(eventsCounted(orderly)).toBeGreaterThanOrEqual(businessEvents);
    // Each business event came twice more, and each extra copy reached its stage workflow.
    expect(duplicates).toBeGreaterThanOrEqual((COPIES - 1) * businessEvents);
    recordCount(CountLabels.EventsReplayed, hostile.delivered);
    recordCount(CountLabels.DuplicatesSuppressed, duplicates);
  });

  it('ends every customer the same: stage, counters, revenue, consent, attributes, support, history', () => {
    const { differences, compared } = compareProfiles(orderly.state, hostile.state);

    expect(compared).toBeGreaterThanOrEqual(WORKLOAD.customers);
    expect(differences).toEqual([]);
    recordCount('profiles compared after out-of-order delivery', compared);
  });

  it('sends every address the same emails, and no message key twice', () => {
    const { differences, compared, capSwaps } = compareEmails(orderly.state, hostile.state);

    expect(differences).toEqual([]);
    expect(sentTwice(hostile.state)).toEqual([]);
    // An email no message item names would be a second email for a key.
    expect([...hostile.state.emails.values()].flat().filter((email) => email.template === 'unrecorded')).toEqual([]);
    expect(compared).toBeGreaterThan(WORKLOAD.customers);
    recordCount('duplicate send requests suppressed', logged(hostile, 'OutreachSender', 'send request handled', '"outcome":"duplicate"'));
    recordCount('emails compared after out-of-order delivery', compared);
    recordCount('frequency-cap races (either email may win)', capSwaps);
  });
});
