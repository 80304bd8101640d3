/**
 * The README's Reliability figures come from tests/reliability/results/latest.json and nowhere
 * else: the part of the section between the markers below is written from the results when the
 * suite ends (and by `npm run reliability:readme`), and a unit test fails when they disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults, type ReliabilityResults } from './results.ts';

export const README_START = '<!-- figures from tests/reliability/results/latest.json: npm run reliability:readme rewrites them -->';
export const README_END = '<!-- end of figures -->';

/** `duplicates-and-order.test.ts` → `duplicates and order`. */
const testName = (file: string): string => file.replace(/\.test\.ts$/, '').replaceAll('-', ' ');

/** The generated part of the Reliability section: one row per test file. */
export function readmeFigures(results: ReliabilityResults): string {
  const rows = Object.entries(results.files).map(([file, result]) => {
    const checked = Object.entries(result.counts)
      .map(([label, n]) => `${n.toLocaleString('en-US')} ${label}`)
      .join(', ');
    return `| ${testName(file)} | ${checked} | ${result.ranAt.slice(0, 10)} |`;
  });
  return [README_START, '', '| test | checked in its latest passing run | run on |', '|---|---|---|', ...rows, '', README_END].join('\n');
}

/** The README with its Reliability figures replaced. @throws when the markers are missing */
export function withFigures(readme: string, results: ReliabilityResults): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END, start);
  if (start < 0 || end < start) throw new Error('README.md has no Reliability figures to rewrite (its markers are missing)');
  return `${readme.slice(0, start)}${readmeFigures(results)}${readme.slice(end + README_END.length)}`;
}

/** Rewrites README.md in `root` from the results file. */
export function writeReadmeFigures(root: string): void {
  const path = join(root, 'README.md');
  writeFileSync(path, withFigures(readFileSync(path, 'utf8'), readResults(root)));
}
