/**
 * `npm run bench`: what the system costs and how fast it is, measured in the local cloud.
 *
 * 1. Lambda bundles: size and module-initialisation time of every function, next to a bare handler.
 * 2. Responsiveness (a fresh local cloud): end-to-end throughput of a burst of events, and the time
 *    from `support.requested` to the reply email.
 * 3. Cost (another fresh local cloud): the standard workload, every billable operation counted
 *    and priced with the dated price table (bench/prices.ts).
 *
 * Writes bench/results/latest.json and latest.md, and prints the summary table.
 * Options: --customers N --days N (the workload), --quick (a small run to check the bench itself).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { REPO_ROOT } from '#infra/paths.ts';
import { loadDefinitions } from '#infra/definitions.ts';
import { synthesize } from '#infra/lifecycle-app.ts';
import { startLocalCloud, type LocalCloud } from '#local/local-cloud.ts';
import { measureBundles } from './bundles.ts';
import type { Template } from './fixed-costs.ts';
import { measureCost } from './measure-cost.ts';
import { measureSupportReplies, measureThroughput } from './responsiveness.ts';
import { writeReadmeFigures } from './readme.ts';
import { renderMarkdown, renderSummary, type BenchResults } from './results.ts';

// This machine's Node is older than the SDK's next releases will want: the benchmark knows.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { values: args } = parseArgs({
  options: { customers: { type: 'string' }, days: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
const quick = args.quick ?? false;
// The standard workload: 300 customers over 30 virtual days (about 3,000 business events), sized
// to finish within ten minutes on a 2-core machine; --customers 2000 --days 90 runs a larger one.
const workload = { customers: Number(args.customers ?? (quick ? 100 : 300)), days: Number(args.days ?? (quick ? 20 : 30)), seed: 7 };
const THROUGHPUT_CUSTOMERS = quick ? 50 : 300;
const SUPPORT_SAMPLES = quick ? 10 : 40;
// A Monday morning in Seoul: the first emails of the workload are not held for quiet hours.
const WORKLOAD_START = Date.parse('2026-08-03T00:00:00Z');

const benchDir = join(REPO_ROOT, '.lifecycle', 'bench');
const assemblyDir = join(benchDir, 'assembly');
const resultsDir = join(REPO_ROOT, 'bench', 'results');

function progressBar(label: string, unit = ''): SingleBar {
  const bar = new SingleBar({
    format: `${label.padEnd(26)} [{bar}] {value}/{total}${unit} {eta_formatted}`,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  return bar;
}

/** The stack's synthesized template (the assembly holds one stack). */
function readTemplate(dir: string): Template {
  const file = readdirSync(dir).find((name) => name.endsWith('.template.json'));
  if (!file) throw new Error(`no template in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Template;
}

async function withCloud<T>(startTime: number | undefined, work: (cloud: LocalCloud) => Promise<T>): Promise<T> {
  // Function timeouts run in real time: stretched, so that a machine busy with other work does not
  // time functions out (the bench measures durations, it does not test timeouts).
  const cloud = await startLocalCloud({
    assemblyDir,
    port: 0,
    sesPort: 0,
    speed: 0,
    timeoutScale: 10,
    ...(startTime !== undefined && { startTime }),
    logDir: join(benchDir, `logs-${Date.now()}`),
  });
  try {
    return await work(cloud);
  } finally {
    await cloud.stop();
  }
}

const began = performance.now();
rmSync(benchDir, { recursive: true, force: true });
mkdirSync(benchDir, { recursive: true });
console.log('Synthesizing the CDK app…');
await synthesize({ outdir: assemblyDir });

console.log('\n1/3 Lambda bundles');
const bundleBar = progressBar('Loading bundles');
let bundleBarStarted = false;
const bundles = await measureBundles({
  assemblyDir,
  runs: quick ? 5 : 15,
  progress: {
    phase: (message) => console.log(`  ${message}`),
    load: (done, total) => {
      if (!bundleBarStarted) bundleBar.start(total, 0);
      bundleBarStarted = true;
      bundleBar.update(done);
    },
  },
});
bundleBar.stop();

console.log('\n2/3 Responsiveness');
const { throughput, replies } = await withCloud(undefined, async (cloud) => {
  const burst = progressBar('Burst of events');
  burst.start(1, 0);
  const measured = await measureThroughput(cloud, {
    customers: THROUGHPUT_CUSTOMERS,
    seed: 11,
    onProgress: (done, total) => {
      burst.setTotal(total);
      burst.update(done);
    },
  });
  burst.stop();
  const support = progressBar('Support requests');
  support.start(SUPPORT_SAMPLES, 0);
  const times = await measureSupportReplies(cloud, { samples: SUPPORT_SAMPLES, onProgress: (done) => support.update(done) });
  support.stop();
  return { throughput: measured, replies: times };
});

console.log(`\n3/3 Cost: ${workload.customers} customers over ${workload.days} virtual days`);
const { journeys } = await loadDefinitions();
const template = readTemplate(assemblyDir);
const cost = await withCloud(WORKLOAD_START, async (cloud) => {
  const days = progressBar('Virtual days', ' days');
  days.start(workload.days, 0);
  const measured = await measureCost(cloud, { ...workload, journeys, template, onStep: (done) => days.update(Math.min(workload.days, Math.round(done))) });
  days.stop();
  return measured;
});

const results: BenchResults = {
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length },
  ...cost.figures,
  eventsPerSecond: throughput.eventsPerSecond,
  supportReplyP50Seconds: replies.p50Seconds,
  supportReplyP95Seconds: replies.p95Seconds,
  bundles: bundles.map(({ function: fn, bytes, zipBytes, initMs }) => ({ function: fn, bytes, zipBytes, initMs })),
  throughput,
  supportReplies: replies,
  workload: cost.workload,
  priceTable: cost.priceTable,
  costLines: cost.lines,
  functions: cost.functions,
  costByArea: cost.areas,
  fixedCosts: cost.fixedCosts,
  monthlyBill: cost.monthlyBill,
  billInputs: cost.billInputs,
  journeyDesigns: cost.journeyDesigns,
  logBytes: cost.logBytes,
  benchSeconds: (performance.now() - began) / 1000,
};
mkdirSync(resultsDir, { recursive: true });
// A quick run checks the bench itself: its figures are not the standard workload's, so they go
// beside the published ones (and stay out of git), never over them.
const resultName = quick ? 'quick' : 'latest';
writeFileSync(join(resultsDir, `${resultName}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(resultsDir, `${resultName}.md`), renderMarkdown(results));
console.log(`\n${renderSummary(results)}`);
if (!quick) writeReadmeFigures(REPO_ROOT);
console.log(
  `\nWrote bench/results/${resultName}.json and ${resultName}.md${quick ? '' : ', and the figures in README.md,'} in ${Math.round(results.benchSeconds)} s.`,
);
rmSync(benchDir, { recursive: true, force: true });
// Done: the results are written and the clouds stopped. Exit explicitly rather than wait for every
// handle a dependency may leave open (a run used to sit idle here until killed).
process.exit(0);
