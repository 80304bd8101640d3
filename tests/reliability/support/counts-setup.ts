/**
 * Global setup of the reliability suite: makes the directory the tests record their counts in
 * (counts.ts) and, when the run ends, prints the table of them, keeps the counts of every file
 * that passed in tests/reliability/results/latest.json, rewrites the README's figures from it,
 * and removes the directory. Each run has its own directory, so two runs at once never mix their
 * counts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '#infra/paths.ts';
import type { CountRecord } from './counts.ts';
import { formatCountsTable, sumCounts } from './counts-table.ts';
import { writeReadmeFigures } from './readme-figures.ts';
import { mergeResults, readResults, writeResults } from './results.ts';

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
      const records = readCounts(dir);
      console.log(`\n${formatCountsTable(sumCounts(records))}\n`);
      // Only files whose every test passed: a failing test's counts prove nothing.
      const passed = project.vitest.state
        .getTestModules()
        .filter((module) => module.state() === 'passed')
        .map((module) => basename(module.moduleId));
      writeResults(REPO_ROOT, mergeResults(readResults(REPO_ROOT), records, passed, new Date().toISOString()));
      writeReadmeFigures(REPO_ROOT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
