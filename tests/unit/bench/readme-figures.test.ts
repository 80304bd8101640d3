import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_END, README_START, readmeFigures, withFigures } from '#bench/readme.ts';
import type { BenchResults } from '#bench/results.ts';
import { REPO_ROOT } from '#infra/paths.ts';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const latest = JSON.parse(readFileSync(join(REPO_ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as BenchResults;

describe("the README's figures", () => {
  it('are the ones bench/results/latest.json holds (npm run bench:readme rewrites them)', () => {
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end + README_END.length)).toBe(readmeFigures(latest));
  });

  it('are rewritten in place, the rest of the README untouched', () => {
    const changed = { ...latest, costPer1MEventsUsd: 123.456 };
    const rewritten = withFigures(readme, changed);
    expect(rewritten).toContain('$123.46');
    expect(rewritten.slice(0, readme.indexOf(README_START))).toBe(readme.slice(0, readme.indexOf(README_START)));
    expect(rewritten.slice(rewritten.indexOf(README_END))).toBe(readme.slice(readme.indexOf(README_END)));
  });

  it('publish the fields a team budgets with', () => {
    for (const field of [
      'journeyCostPerCustomerMonthUsd',
      'journeyCostPerEntryUsd',
      'costPer1MEventsNoEmailUsd',
      'costPer1MEventsUsd',
      'fixedMonthlyUsd',
    ] as const) {
      expect(typeof latest[field]).toBe('number');
    }
    expect(latest.monthlyBill.map((bill) => bill.customers)).toEqual([10_000, 100_000, 1_000_000]);
  });
});
