/**
 * The README's figures come from bench/results/latest.json and nowhere else: the part of the
 * Performance section between the markers below is written from the results by `npm run bench`
 * (and `npm run bench:readme`), and a test fails when README and results disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BILL_HEADERS, DESIGN_HEADERS, billRows, designRows, headlineRows, markdownTable, type BenchResults } from './results.ts';

export const README_START = '<!-- figures from bench/results/latest.json: npm run bench:readme rewrites them -->';
export const README_END = '<!-- end of figures -->';

/** The generated part of the Performance section. */
export function readmeFigures(results: BenchResults): string {
  const { workload } = results;
  return [
    README_START,
    '',
    `The latest run (${results.generatedAt.slice(0, 10)}, Node ${results.machine.node}, ${results.machine.cpus} cores): ${workload.customers} customers over ${workload.days} virtual days, ${workload.events.toLocaleString('en-US')} business events, ${workload.journeyParticipants.toLocaleString('en-US')} journey entries, ${workload.emails.toLocaleString('en-US')} emails.`,
    '',
    ...markdownTable(['measure', 'value', 'compared with'], headlineRows(results)),
    '',
    'Journeys under the two designs this project has run, each measured by this bench on the standard workload:',
    '',
    ...markdownTable([...DESIGN_HEADERS], designRows(results)),
    '',
    "The monthly bill with the standard workload's mix per customer (no free tier counted; Pinpoint's column is its journeys' endpoint charge alone, first 5,000 free):",
    '',
    ...markdownTable([...BILL_HEADERS], billRows(results)),
    '',
    README_END,
  ].join('\n');
}

/** The README with its figures replaced. @throws when the markers are missing */
export function withFigures(readme: string, results: BenchResults): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error('README.md has no figures section to rewrite (its markers are missing)');
  return `${readme.slice(0, start)}${readmeFigures(results)}${readme.slice(end + README_END.length)}`;
}

/** Rewrites README.md in `root` from the results file. */
export function writeReadmeFigures(root: string): void {
  const results = JSON.parse(readFileSync(join(root, 'bench', 'results', 'latest.json'), 'utf8')) as BenchResults;
  const path = join(root, 'README.md');
  writeFileSync(path, withFigures(readFileSync(path, 'utf8'), results));
}
