/**
 * The reliability suite's counts, kept: `tests/reliability/results/latest.json` holds, for each
 * test file, the counts of its latest run in which every test passed. A run replaces the entries
 * of the files that passed in it and keeps the others, so running one file on its own updates its
 * counts and never loses another's. The README's Reliability figures are written from this file
 * (readme-figures.ts), never by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CountRecord } from './counts.ts';

export interface FileResult {
  /** When the passing run that counted these ended (ISO 8601). */
  readonly ranAt: string;
  /** Count by label, in the order the test first recorded each. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface ReliabilityResults {
  /** By test file name, e.g. `schema-oracle.test.ts`, sorted. */
  readonly files: Readonly<Record<string, FileResult>>;
}

export const resultsPath = (root: string): string => join(root, 'tests', 'reliability', 'results', 'latest.json');

export function readResults(root: string): ReliabilityResults {
  try {
    return JSON.parse(readFileSync(resultsPath(root), 'utf8')) as ReliabilityResults;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: {} };
    throw error;
  }
}

export function writeResults(root: string, results: ReliabilityResults): void {
  writeFileSync(resultsPath(root), `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * The results after a run: the files that passed in it (and recorded counts) get this run's
 * counts; every other file keeps its previous entry.
 *
 * @param passed - names of the test files every test of which passed in this run
 */
export function mergeResults(previous: ReliabilityResults, records: readonly CountRecord[], passed: readonly string[], ranAt: string): ReliabilityResults {
  const files: Record<string, FileResult> = { ...previous.files };
  for (const file of passed) {
    const counts: Record<string, number> = {};
    for (const record of records.filter((each) => each.file === file)) counts[record.label] = (counts[record.label] ?? 0) + record.n;
    if (Object.keys(counts).length > 0) files[file] = { ranAt, counts };
  }
  return { files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) };
}
