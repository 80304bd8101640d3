/**
 * Two runs of the same workload compared whole: profiles and timelines (compare-runs.ts), every
 * other stored item (store-comparison.ts: memberships, journey metrics, segment snapshots,
 * recommendations, the message log), and the emails each address received — with the tolerances
 * named below, each with its reason. A run whose messages were delivered twice, or whose
 * invocations crashed and were retried, must end like a clean one.
 */
import type { SystemEvent } from '#tests/support/observe.ts';
import { compareEmails, compareProfiles, type CompareOptions } from './compare-runs.ts';
import { sentTwice, type EndState } from './end-state.ts';
import { compareStores, type Tolerance } from './store-comparison.ts';
import type { StoreSnapshot } from './store-snapshot.ts';

/**
 * Attributes of stored items that may differ between the runs, each with its reason. Everything
 * else of every item is compared.
 */
export const STORE_TOLERANCES: readonly Tolerance[] = [
  { kind: 'message', attribute: 'messageId', why: "SES's id for a sent email: SES picks it (the local SES at random), so no two runs share it" },
  {
    kind: 'journey metrics',
    attribute: 'notEntered.*',
    why: 'deliveries a journey turned away, by reason: a count of deliveries, not of events — every decision to do nothing is counted, so a redelivered trigger turned away is counted again (same-trigger counts the duplicates themselves)',
  },
  { kind: 'journey metrics', attribute: 'wake.stale', why: "wake-ups that came for a move already made: a schedule's second firing is one, by definition" },
  ...(['started', 'alreadyStarted', 'ineligible', 'updatedAt', 'expiresAt'] as const).map((attribute) => ({
    kind: 'launch progress',
    attribute,
    why: "a launch's progress reports the delivery that wrote it last: a scheduled launch delivered twice reports its second delivery, later, which finds the runs the first one started (already started, or ineligible once a run has ended, not started). The runs themselves are compared whole in the memberships; the launches and who they considered, here",
  })),
];

/** System events heard, each delivery of the same announcement (same id, same SES id) kept once. */
export function onceEach(events: readonly SystemEvent[]): SystemEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const key = `${event.detail.eventId} ${String(event.detail.data.messageId ?? '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * How far apart two runs may have done the same thing when one was delayed: a crashed
 * invocation is retried within minutes (Lambda's asynchronous retries after one and two minutes,
 * a queue message after its six-minute visibility timeout, a state machine's Retry after
 * seconds), and the tests move the clock on in slices of minutes, so a retry runs up to two slices
 * later. Either run may be the later one: the clean run meets the platform's own retries too (a
 * send request given back to the queue while another attempt held its claim).
 */
export const APART_BY_AT_MOST_MS = 15 * 60_000;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * `actual` with every time the system stamped (when it recorded, claimed, sent, entered, exited,
 * an expiry counted from then) that lies within APART_BY_AT_MOST_MS of `expected`'s replaced by
 * it: in a delayed run the system does the same things, a retry later. Anything else is left as
 * it is, so a thing done in one run and not the other still shows.
 */
function alignTimes(expected: unknown, actual: unknown, name = ''): unknown {
  if (typeof expected === 'string' && typeof actual === 'string' && ISO_TIME.test(expected) && ISO_TIME.test(actual)) {
    return Math.abs(Date.parse(actual) - Date.parse(expected)) <= APART_BY_AT_MOST_MS ? expected : actual;
  }
  // TTLs are epoch seconds, counted from when the item was written.
  if (name === 'expiresAt' && typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(actual - expected) * 1000 <= APART_BY_AT_MOST_MS ? expected : actual;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) return actual.map((value, n) => alignTimes(expected[n], value));
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const left = expected as Record<string, unknown>;
    return Object.fromEntries(Object.entries(actual as Record<string, unknown>).map(([key, value]) => [key, alignTimes(left[key], value, key)]));
  }
  return actual;
}

/** The second snapshot with its items' times aligned to the first's (see alignTimes). */
function alignStore(expected: StoreSnapshot, actual: StoreSnapshot): StoreSnapshot {
  return new Map(
    [...actual].map(([key, json]) => {
      const left = expected.get(key);
      return [key, left === undefined ? json : JSON.stringify(alignTimes(JSON.parse(left), JSON.parse(json)))];
    }),
  );
}

/** A run's end state with its whole store. */
export interface WholeState {
  readonly state: EndState;
  readonly store: StoreSnapshot;
}

export interface WholeComparison {
  /** Readable differences, one a line, each saying what differs; empty when the runs agree. */
  readonly differences: readonly string[];
  readonly profiles: number;
  readonly items: number;
  readonly emails: number;
}

/**
 * Compares a run with the clean one: profiles, stored items and emails, and no message key sent
 * twice or sent without a message item naming it. In a `delayed` comparison (see CompareOptions)
 * the times items were stamped with may also lie up to APART_BY_AT_MOST_MS apart.
 */
export function compareWhole(clean: WholeState, run: WholeState, options: CompareOptions = {}): WholeComparison {
  const profiles = compareProfiles(clean.state, run.state, options);
  const store = compareStores(clean.store, options.delayed ? alignStore(clean.store, run.store) : run.store, STORE_TOLERANCES);
  const emails = compareEmails(clean.state, run.state);
  const twice = sentTwice({ ...run.state, systemEvents: onceEach(run.state.systemEvents) }).map((key) => `sent twice: ${key}`);
  const unrecorded = [...run.state.emails.entries()]
    .filter(([, received]) => received.some((email) => email.template === 'unrecorded'))
    .map(([address]) => `${address}: an email no message item names (sent twice for one key)`);
  return {
    differences: [...profiles.differences, ...store.differences, ...emails.differences, ...twice, ...unrecorded],
    profiles: profiles.compared,
    items: [...store.compared.values()].reduce((sum, n) => sum + n, 0),
    emails: emails.compared,
  };
}
