/**
 * What a reliability test checked, counted: a test that passes after checking three events looks
 * the same as one that checked three thousand, so each test records its counts and the suite ends
 * with one table of them (printed by counts-setup.ts). Counts go to a directory made for the run,
 * one file per worker, appended line by line, so parallel test files never overwrite each other.
 *
 * @example
 * recordCount(CountLabels.HostileInputsRejected, rejected.length);
 */
import { appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where recordCount writes; made and read back by counts-setup.ts. */
    reliabilityCountsDir: string;
  }
}

/**
 * Labels the suite shares, so that two tests counting the same thing add up in one row.
 * Any other label is fine too; it gets a row of its own.
 */
export const CountLabels = {
  EventsReplayed: 'events replayed',
  DuplicatesSuppressed: 'duplicates suppressed',
  FaultsInjected: 'faults injected',
  EventsRedriven: 'events redriven',
  HostileInputsSent: 'hostile inputs sent',
  HostileInputsRejected: 'hostile inputs rejected',
  HostileInputsHandledSafely: 'hostile inputs handled safely',
  RenderedEmailsChecked: 'rendered emails checked',
  ForgedTokensRefused: 'forged tokens refused',
  UnsignedRequestsRefused: 'unsigned requests refused',
  LogLinesScanned: 'log lines scanned',
  PolicyStatementsChecked: 'IAM policy statements checked',
  SchemaOracleCases: 'schema-oracle cases',
  SchemaOracleWholeWay: 'schema-oracle cases sent the whole way',
  SchemaOracleAccepted: 'schema-oracle cases accepted',
  SchemaOracleRejected: 'schema-oracle cases rejected',
  SchemaOracleDisagreements: 'schema-oracle disagreements',
} as const;

/** One line of a counts file. */
export interface CountRecord {
  readonly label: string;
  readonly n: number;
  /** The test file that recorded it. */
  readonly file: string;
}

/** The file this worker appends to. */
export const countsFile = (dir: string, pid = process.pid): string => join(dir, `counts-${pid}.jsonl`);

/**
 * Records that the current test checked `n` things of a kind. Call it after the assertions that
 * checked them, so a failing test does not report what it did not prove.
 *
 * @throws RangeError when `n` is not a whole number of at least 0
 */
export function recordCount(label: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`a count must be a whole number of at least 0, got ${n} for "${label}"`);
  const dir = inject('reliabilityCountsDir');
  if (!dir) throw new Error('recordCount needs the reliability suite: run it with `npm run test:reliability`');
  const record: CountRecord = { label, n, file: basename(expect.getState().testPath ?? 'unknown') };
  // Synchronous, so that a worker that dies right after still leaves its counts behind.
  appendFileSync(countsFile(dir), `${JSON.stringify(record)}\n`);
}
