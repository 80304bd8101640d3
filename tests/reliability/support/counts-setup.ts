/**
 * Global setup of the reliability suite: makes the directory the tests record their counts in
 * (counts.ts) and, when the run ends, prints the table of them and removes the directory. Each
 * run has its own directory, so two runs at once never mix their counts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { CountRecord } from './counts.ts';
import { formatCountsTable, sumCounts } from './counts-table.ts';

function readCounts(dir: string): CountRecord[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CountRecord);
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-counts-'));
  project.provide('reliabilityCountsDir', dir);
  return () => {
    try {
      console.log(`\n${formatCountsTable(sumCounts(readCounts(dir)))}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
