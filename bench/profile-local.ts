/**
 * `npm run bench:profile`: where the local cloud's time goes under the bench's burst.
 *
 * Runs the burst of `npm run bench` (a population's history sent at once, until every stage
 * workflow has run) against a fresh local cloud while sampling the CPU of its main thread and of
 * every function's worker thread, and reports the main thread's time by component (edge, pattern
 * matching, state machines, Lambda messaging, DynamoDB emulation, IAM, signatures, HTTP between
 * components), each function's CPU time, the event loop's delay, and the round trips the activity
 * log times (invocations, executions, deliveries).
 *
 * Writes bench/results/profile-<label>.json. Options: --label NAME (default `latest`),
 * --customers N (default 100), --assembly DIR (reuse a synthesized assembly), --interval-us N,
 * --save-profiles DIR (the raw .cpuprofile files, one per thread, for Chrome DevTools).
 * Figures from a loaded machine vary from run to run: compare the shares, or runs made in turn.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '#infra/paths.ts';
import { synthesize } from '#infra/lifecycle-app.ts';
import { FileActivityLog } from '#local/activity-log.ts';
import { startLocalCloud } from '#local/local-cloud.ts';
import { breakDown, functionOf, LOCAL_CLOUD_COMPONENTS, type ProfileBreakdown } from './profiler/components.ts';
import { countRequests, type RequestCount } from './profiler/http-requests.ts';
import { RoundTrips } from './profiler/round-trips.ts';
import { startSampling } from './profiler/sampler.ts';
import { measureThroughput, type Throughput } from './responsiveness.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { values: args } = parseArgs({
  options: {
    label: { type: 'string', default: 'latest' },
    customers: { type: 'string', default: '100' },
    assembly: { type: 'string' },
    'interval-us': { type: 'string', default: '1000' },
    'save-profiles': { type: 'string' },
  },
});

export interface LocalProfile {
  readonly label: string;
  readonly generatedAt: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly loadAverage: number };
  readonly burst: Throughput;
  /**
   * CPU time over the burst: the whole process (all threads), its share of the machine's cores,
   * per event, and the part the functions' worker threads used (as Linux counts it per thread).
   */
  readonly processCpu: { readonly ms: number; readonly coresUsed: number; readonly perEventMs: number; readonly functionsMs: number };
  readonly mainThread: ProfileBreakdown & { readonly utilization: number };
  readonly eventLoopDelayMs: { readonly mean: number; readonly p50: number; readonly p99: number; readonly max: number };
  /** Each function's workers: how many, their sampled busy time, and their CPU time. */
  readonly functions: { readonly function: string; readonly workers: number; readonly busyMs: number; readonly cpuMs: number }[];
  readonly roundTrips: ReturnType<RoundTrips['summary']>;
  /** HTTP requests answered in this process over the burst, by server and operation. */
  readonly httpRequests: { readonly total: number; readonly perEvent: number; readonly byOperation: RequestCount[] };
}

const workDir = join(REPO_ROOT, '.lifecycle', `profile-${process.pid}`);
const assemblyDir = args.assembly ?? join(workDir, 'assembly');
if (!args.assembly) {
  console.log('Synthesizing the CDK app…');
  await synthesize({ outdir: assemblyDir });
}

// As the bench runs it: function output and the activity log written to files.
const logDir = join(workDir, 'logs');
const activityLog = new FileActivityLog(join(logDir, 'local-cloud.log'));
const roundTrips = new RoundTrips(activityLog);
const cloud = await startLocalCloud({ assemblyDir, port: 0, sesPort: 0, speed: 0, timeoutScale: 10, logDir, log: roundTrips });
const codeDirs = new Map(cloud.services.lambda.list().map((fn) => [fn.codeDir, fn.name]));

const loadAverage = loadavg()[0] ?? 0;
const delay = monitorEventLoopDelay({ resolution: 10 });
const edgePort = Number(new URL(cloud.endpoint).port);
const appIds = new Map(cloud.services.lambda.list().map((fn) => [fn.environment.AWS_SDK_UA_APP_ID ?? '', fn.name]));
const requests = countRequests(
  (port) => (port === edgePort ? 'edge' : 'other'),
  (userAgent) => appIds.get(/(?:^|\s)app\/(fn\d+)/.exec(userAgent)?.[1] ?? '') ?? 'other',
);
const sampler = await startSampling(Number(args['interval-us']));
delay.enable();
const utilizationBefore = performance.eventLoopUtilization();
const cpuBefore = process.cpuUsage();
const started = performance.now();
console.log(`Sending the burst (${args.customers} customers)…`);
const burst = await measureThroughput(cloud, { customers: Number(args.customers), seed: 11 });
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const functionCpu = new Map(cloud.services.lambda.list().map((fn) => [fn.name, cloud.services.lambda.billingOf(fn.name).cpuMs ?? 0]));
const utilization = performance.eventLoopUtilization(utilizationBefore).utilization;
delay.disable();
const threads = await sampler.stop();
const byOperation = requests.stop();
const requestTotal = byOperation.reduce((sum, entry) => sum + entry.count, 0);
await cloud.stop();
activityLog.flush();
rmSync(workDir, { recursive: true, force: true });

if (args['save-profiles']) {
  mkdirSync(args['save-profiles'], { recursive: true });
  for (const [n, { thread, profile }] of threads.entries())
    writeFileSync(join(args['save-profiles'], `${n}-${thread.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile));
}
const main = threads.find((thread) => thread.thread === 'main');
if (!main) throw new Error('no profile of the main thread');
const perFunction = new Map<string, { workers: number; busyMs: number }>();
for (const { thread, profile } of threads) {
  if (thread === 'main') continue;
  const name = functionOf(profile, codeDirs);
  const entry = perFunction.get(name) ?? { workers: 0, busyMs: 0 };
  entry.workers++;
  entry.busyMs += breakDown(profile, []).busyMs;
  perFunction.set(name, entry);
}
const cpuMs = (cpu.user + cpu.system) / 1000;
const ms = (ns: number) => Math.round(ns / 1e5) / 10;
const result: LocalProfile = {
  label: args.label ?? 'latest',
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, loadAverage },
  burst,
  processCpu: {
    ms: Math.round(cpuMs),
    coresUsed: Math.round((cpuMs / wallMs) * 100) / 100,
    perEventMs: Math.round((cpuMs / burst.events) * 10) / 10,
    functionsMs: [...functionCpu.values()].reduce((sum, each) => sum + each, 0),
  },
  mainThread: { ...breakDown(main.profile, LOCAL_CLOUD_COMPONENTS), utilization: Math.round(utilization * 1000) / 1000 },
  eventLoopDelayMs: { mean: ms(delay.mean), p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  functions: [...perFunction]
    .map(([fn, entry]) => ({ function: fn, ...entry, busyMs: Math.round(entry.busyMs), cpuMs: functionCpu.get(fn) ?? 0 }))
    .sort((a, b) => b.cpuMs - a.cpuMs),
  roundTrips: roundTrips.summary(),
  httpRequests: { total: requestTotal, perEvent: Math.round((requestTotal / burst.events) * 10) / 10, byOperation },
};

const resultsDir = join(REPO_ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `profile-${result.label}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

const share = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;
console.log(
  `\n${burst.events} events in ${burst.seconds.toFixed(1)} s: ${burst.eventsPerSecond.toFixed(1)} events/s (load ${loadAverage.toFixed(1)} at start)`,
);
const { processCpu } = result;
console.log(
  `process CPU ${processCpu.ms} ms (${processCpu.coresUsed} cores, ${processCpu.perEventMs} ms an event), functions' threads ${processCpu.functionsMs} ms`,
);
console.log(`main thread busy ${result.mainThread.busyMs} ms (sampled, so waits for a core count too)\n`);
for (const { component, ms: time } of result.mainThread.components)
  console.log(`${component.padEnd(48)} ${String(Math.round(time)).padStart(7)} ms ${share(time, result.mainThread.busyMs).padStart(6)}`);
console.log('\nfunctions: CPU, sampled busy time');
for (const fn of result.functions)
  console.log(`  ${fn.function.padEnd(46)} ${String(fn.cpuMs).padStart(7)} ms ${String(fn.busyMs).padStart(7)} ms in ${fn.workers} worker(s)`);
console.log(`\nHTTP requests answered: ${requestTotal} (${result.httpRequests.perEvent} per event)`);
for (const entry of byOperation.slice(0, 16))
  console.log(`  ${entry.server.padEnd(6)} ${entry.operation.padEnd(36)} ${entry.caller.replace(/^.*?-dev-/, '').padEnd(36)} ${entry.count}`);
console.log(`\nevent loop delay: mean ${result.eventLoopDelayMs.mean} ms, p99 ${result.eventLoopDelayMs.p99} ms, max ${result.eventLoopDelayMs.max} ms`);
console.log(`\nWrote ${file}`);
process.exit(0);
