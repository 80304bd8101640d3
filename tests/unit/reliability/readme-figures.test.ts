import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/paths.ts';
import { README_END, README_START, readmeFigures, withFigures } from '#tests/reliability/support/readme-figures.ts';
import { mergeResults, readResults, type ReliabilityResults } from '#tests/reliability/support/results.ts';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const latest = readResults(REPO_ROOT);
const testFiles = readdirSync(join(REPO_ROOT, 'tests', 'reliability')).filter((name) => name.endsWith('.test.ts'));

describe("the README's Reliability figures", () => {
  it('are the ones tests/reliability/results/latest.json holds (npm run reliability:readme rewrites them)', () => {
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END, start);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end + README_END.length)).toBe(readmeFigures(latest));
  });

  it('hold counts of reliability tests that exist, the schema oracle with no disagreement left', () => {
    for (const file of Object.keys(latest.files)) expect(testFiles, `${file} is no reliability test: remove it from latest.json`).toContain(file);
    expect(latest.files['schema-oracle.test.ts']?.counts).toMatchObject({ 'schema-oracle cases': expect.any(Number), 'schema-oracle disagreements': 0 });
    expect(latest.files['schema-oracle.test.ts']?.counts['schema-oracle cases']).toBeGreaterThanOrEqual(5_000);
  });

  it('are rewritten in place, the rest of the README untouched', () => {
    const changed: ReliabilityResults = {
      files: { ...latest.files, 'new-kind.test.ts': { ranAt: '2027-01-02T03:04:05.000Z', counts: { 'things checked': 1234 } } },
    };
    const rewritten = withFigures(readme, changed);
    expect(rewritten).toContain('| new kind | 1,234 things checked | 2027-01-02 |');
    expect(rewritten.slice(0, readme.indexOf(README_START))).toBe(readme.slice(0, readme.indexOf(README_START)));
    const after = (text: string) => text.slice(text.indexOf(README_END, text.indexOf(README_START)));
    expect(after(rewritten)).toBe(after(readme));
  });
});

describe('reliability results', () => {
  const previous: ReliabilityResults = {
    files: {
      'a.test.ts': { ranAt: '2026-12-01T00:00:00.000Z', counts: { checked: 1 } },
      'b.test.ts': { ranAt: '2026-12-01T00:00:00.000Z', counts: { checked: 2 } },
    },
  };
  const records = [
    { label: 'checked', n: 10, file: 'a.test.ts' },
    { label: 'checked', n: 5, file: 'a.test.ts' },
    { label: 'checked', n: 20, file: 'b.test.ts' },
  ];

  it('take the counts of the files that passed, summed by label, and keep the others', () => {
    const merged = mergeResults(previous, records, ['a.test.ts'], '2026-12-07T00:00:00.000Z');
    expect(merged.files).toEqual({ 'a.test.ts': { ranAt: '2026-12-07T00:00:00.000Z', counts: { checked: 15 } }, 'b.test.ts': previous.files['b.test.ts'] });
  });

  it('keep a passing file that recorded nothing (a filtered run) as it was', () => {
    expect(mergeResults(previous, [], ['a.test.ts', 'b.test.ts'], '2026-12-07T00:00:00.000Z')).toEqual(previous);
  });
});
