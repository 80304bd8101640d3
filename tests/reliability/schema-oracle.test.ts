/**
 * The published JSON Schemas are the contract business systems code against; this test holds the
 * running system to them. Five thousand events, generated from the schemas and broken every way
 * the hostile-input test breaks them (fast-check, fixed seed), are judged by an independent
 * validator (ajv reading shared/events/json-schema/, support/schema-judge.ts) and sent with the
 * AWS SDK through the local cloud's endpoint, as a business system would. The system must accept
 * exactly what the schemas accept: an accepted event is recorded on its customer's timeline; a
 * rejected one is refused with a reason — by PutEvents, or by its workflow, which parks it in its
 * dead-letter queue — and nothing about it is stored. (Types no schema publishes for producers, an
 * unknown detail-type or the system's own, are routed nowhere on the bus: nothing parks them, and
 * nothing may record them.) Every disagreement is a bug in a schema or in the runtime.
 *
 * Every fifth case goes the whole way — PutEvents ten to a call, rule, stage workflow, record
 * function, dead-letter queue, and whatever an accepted event starts (notices, journeys, stage
 * changes): over a thousand events, every class well represented. The other four thousand are
 * judged on the validation path: the same record function, invoked through the endpoint with the
 * event as the rule would deliver it (support/validation-path.ts), which validates and records but
 * starts nothing after. All five thousand the whole way took four minutes on 2 cores; this way the
 * test takes about two, and the workflows' part (parking, reasons, downstream) is still judged on
 * a thousand. Entries EventBridge must refuse (empty names, a detail that is no JSON object, over
 * 256 KB) cannot be delivered to a function at all: they all go on the bus.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { CountLabels, recordCount } from './support/counts.ts';
import { failedInvocations, parkedEvents, undeliverable, type Parked } from './support/dead-letters.ts';
import { numbered, oracleCases, tokensIn, type OracleCase } from './support/oracle-cases.ts';
import { putEntries, type PutResult } from './support/put-entries.ts';
import { createJudge, entryBytes, MAX_ENTRY_BYTES, type Entry, type Verdict } from './support/schema-judge.ts';
import { snapshotStore } from './support/store-snapshot.ts';
import { validationPath, type ValidationResult } from './support/validation-path.ts';

// Noon UTC, time standing still unless the test moves it: occurredAt is judged against this instant.
const START = Date.parse('2026-11-22T12:00:00Z');
const SEED = 20261207;
const CASES = 5_000;
/** Every this many cases, one goes the whole way through the bus and the workflows. */
const WHOLE_WAY_EVERY = 5;
/** Entries in flight at once: ten PutEvents calls of ten, or a hundred invocations. */
const CHUNK = 100;

/**
 * The classes of the hostile-input test, and prototype names as values, each of which must be
 * among the cases. `journey.launch.requested` is left out of the generated types: its launcher
 * also refuses journeys and segments that do not exist, a check no schema can make (its own tests
 * cover it). So is `customer.erasure.requested`: a valid one erases, it records nothing (its own
 * tests: tests/integration/data-rights.test.ts).
 */
const CLASSES = [
  'wrong type',
  'missing field',
  'oversize field',
  'oversize entry',
  'unknown detail-type',
  'control characters',
  'script injection',
  'header injection',
  'future timestamp',
  'ancient timestamp',
  'malformed timestamp',
  'wrong version',
  'bad source',
  'forged system event',
  'detail not an object',
  'prototype keys',
  'prototype names',
];

let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
});

afterAll(async () => {
  await test.stop();
});

/** What became of a case: its PutEvents result, or the record function's answer on the validation path. */
type Outcome = { readonly path: 'bus'; readonly put: PutResult } | { readonly path: 'validation'; readonly result: ValidationResult };

/** Whether EventBridge could deliver the entry at all; one it must refuse is put on the bus to see that it does. */
const deliverable = (entry: Entry): boolean => {
  if (entry.Source === '' || entry.DetailType === '' || entryBytes(entry) > MAX_ENTRY_BYTES) return false;
  try {
    const detail: unknown = JSON.parse(entry.Detail);
    return detail !== null && typeof detail === 'object' && !Array.isArray(detail);
  } catch {
    return false;
  }
};

function detailOf(entry: Entry): { eventId?: unknown; occurredAt?: unknown } | undefined {
  try {
    const detail: unknown = JSON.parse(entry.Detail);
    return detail !== null && typeof detail === 'object' ? detail : undefined;
  } catch {
    return undefined;
  }
}

describe('the published schemas as the oracle', () => {
  const judge = createJudge();
  const published = [...judge.schemas.values()];
  const producers = published.filter((schema) => schema.producer && !['journey.launch.requested', 'customer.erasure.requested'].includes(schema.detailType));
  const system = published.filter((schema) => !schema.producer);
  const cases = fc.sample(oracleCases(producers, system, START), { seed: SEED, numRuns: CASES }).map(numbered);

  it(`the system accepts exactly what the schemas accept, over ${CASES.toLocaleString('en-US')} generated events`, { timeout: 600_000 }, async () => {
    const kinds = new Set(cases.map((oracleCase) => oracleCase.kind));
    for (const kind of CLASSES) expect(kinds, kind).toContain(kind);
    const now = test.cloud.clock.now();
    const verdicts = cases.map((oracleCase) => judge.judge(oracleCase, now));
    const outcomes = new Map<number, Outcome>();
    const numbers = cases.map((_, n) => n);

    const wholeWay = numbers.filter((n) => n % WHOLE_WAY_EVERY === 0 || !deliverable(cases[n] as OracleCase));
    // Four in five on the validation path, first: at the virtual time they were judged at.
    const path = validationPath(test);
    const onTheBus = new Set(wholeWay);
    const rest = numbers.filter((n) => !onTheBus.has(n));
    for (let from = 0; from < rest.length; from += CHUNK) {
      const chunk = rest.slice(from, from + CHUNK);
      const results = await Promise.all(chunk.map((n) => path.validate(cases[n] as OracleCase)));
      for (const [index, n] of chunk.entries()) outcomes.set(n, { path: 'validation', result: results[index] as ValidationResult });
    }
    path.destroy();
    // The whole way, as a business system sends them: the bus, ten entries a call.
    for (let from = 0; from < wholeWay.length; from += CHUNK) {
      const chunk = wholeWay.slice(from, from + CHUNK);
      const results = await putEntries(
        test,
        chunk.map((n) => cases[n] as OracleCase),
      );
      for (const [index, n] of chunk.entries()) outcomes.set(n, { path: 'bus', put: results[index] as PutResult });
      await test.cloud.settle();
    }
    // A write that met a concurrent one is retried on the clock: let the retries run.
    for (let step = 0; step < 6; step++) {
      test.cloud.clock.advance(10_000);
      await test.cloud.settle();
    }

    const parked = parkedEvents(test);
    const store = await snapshotStore(test);
    /** Timeline entries (sort key `EVENT#<occurredAt>#<eventId>`, README's table design), and which cases the store mentions. */
    const timeline = new Set<string>();
    const traces = new Set<number>();
    for (const [key, json] of store) {
      for (const n of tokensIn(`${key} ${json}`)) traces.add(n);
      const sortKey = key.split(' ')[1] ?? '';
      if (sortKey.startsWith('EVENT#')) timeline.add(sortKey);
    }
    const isRecorded = (n: number): boolean => {
      const detail = detailOf(cases[n] as OracleCase);
      const at = typeof detail?.occurredAt === 'string' ? Date.parse(detail.occurredAt) : Number.NaN;
      return typeof detail?.eventId === 'string' && Number.isFinite(at) && timeline.has(`EVENT#${new Date(at).toISOString()}#${detail.eventId}`);
    };

    const disagreements: string[] = [];
    let accepted = 0;
    cases.forEach((oracleCase, n) => {
      const verdict = verdicts[n] as Verdict;
      const outcome = outcomes.get(n) as Outcome;
      const label = `case ${n}: ${oracleCase.kind} (${oracleCase.what}) as ${JSON.stringify(oracleCase.DetailType.slice(0, 40))}, ${outcome.path === 'bus' ? 'the whole way' : 'validation path'}`;
      const refusal = systemRefusal(outcome, parked);
      if (verdict.accepted) {
        accepted++;
        if (refusal) disagreements.push(`${label}: the schema accepts it, the system refused it (${refusal})`);
        else if (!isRecorded(n)) disagreements.push(`${label}: the schema accepts it, nothing recorded it`);
        return;
      }
      if (isRecorded(n) || traces.has(n)) disagreements.push(`${label}: the schema refuses it (${verdict.why}), the system recorded it`);
      if (outcome.path === 'bus' && outcome.put.accepted && !refusal) {
        // Only the types a business system may send have a workflow to park them in; others are routed nowhere.
        if (producers.some((schema) => schema.detailType === oracleCase.DetailType))
          disagreements.push(`${label}: the schema refuses it (${verdict.why}), the system did not park it`);
        return;
      }
      if (!refusal) disagreements.push(`${label}: the schema refuses it (${verdict.why}), the system accepted it`);
      // A reason names the field and the rule: one printable line, never a crash's message.
      else if (!refusal.startsWith('InvalidEventError: ') && !(outcome.path === 'bus' && !outcome.put.accepted))
        disagreements.push(`${label}: the system failed on it instead of refusing it (${refusal})`);
      else if (/[\u0000-\u001f]/.test(refusal) || refusal.endsWith(': '))
        disagreements.push(`${label}: refused without a clear reason (${JSON.stringify(refusal)})`);
    });

    const rejected = cases.length - accepted;
    console.log(
      `schema oracle: ${cases.length} cases (${wholeWay.length} the whole way), ${accepted} accepted, ${rejected} rejected, ${disagreements.length} disagreements`,
    );
    for (const disagreement of disagreements.slice(0, 100)) console.log(`  ${disagreement}`);
    expect(disagreements.slice(0, 20), `${disagreements.length} disagreements`).toEqual([]);
    // Whatever an accepted event started ran without a function failing or a delivery lost.
    expect([...failedInvocations(test).values()]).toEqual([]);
    expect(undeliverable(test)).toBe(0);
    expect(accepted).toBeGreaterThan(CASES / 5);
    expect(rejected).toBeGreaterThan(CASES / 2);

    recordCount(CountLabels.SchemaOracleCases, cases.length);
    recordCount(CountLabels.SchemaOracleWholeWay, wholeWay.length);
    recordCount(CountLabels.SchemaOracleAccepted, accepted);
    recordCount(CountLabels.SchemaOracleRejected, rejected);
    recordCount(CountLabels.SchemaOracleDisagreements, disagreements.length);
  });
});

/** How the system refused a case, as `Error: reason`; undefined when it did not. */
function systemRefusal(outcome: Outcome, parked: ReadonlyMap<string, Parked>): string | undefined {
  if (outcome.path === 'validation') return outcome.result.accepted ? undefined : `${outcome.result.errorType}: ${outcome.result.reason}`;
  if (!outcome.put.accepted) return `PutEvents ${outcome.put.code}: ${outcome.put.message}`;
  const found = parked.get(outcome.put.eventId);
  return found && `${found.error}: ${found.reason}`;
}
