/**
 * The Lambda bundle benchmark: for each function of the synthesized stack, how big its code is and
 * how long its module takes to initialise at a cold start, next to a bare handler that imports one
 * AWS SDK client, bundled the same way. The functions come from the cloud assembly, so what is
 * measured is what `cdk deploy` would upload.
 *
 * Each initialisation is timed in a fresh Node process (a cold start has no module cache), with the
 * function's own environment from the template and harmless local values for what Lambda sets.
 * Nothing may reach AWS or the network: the probe refuses every connection and reports the attempt.
 *
 * The bundles leave out the AWS SDK, which Lambda's runtime provides (see BUNDLING): a load
 * resolves it from the project's node_modules, as the runtime loads its own copy from local disk,
 * so the time to load the SDK counts in every initialisation, the baseline's included.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import type { Charset, Format } from 'esbuild';
import { REPO_ROOT } from '#infra/paths.ts';
import { readAssembly } from '#local/cloudformation/assembly.ts';
import { readResources } from '#local/cloudformation/resources.ts';
import { median as statisticsMedian } from '#shared/reporting/statistics.ts';

export interface BundleResult {
  /** The handler's name (its file under `functions/`), e.g. `record-event`. */
  readonly function: string;
  /** The code directory's total size, unzipped: what Node reads and parses at a cold start. */
  readonly bytes: number;
  /** The zip `cdk deploy` uploads: each file deflated at zlib's default level, as the CDK CLI packs it. */
  readonly zipBytes: number;
  /** Median time to import the bundle's module (its top-level code included) in a fresh process. */
  readonly initMs: number;
  /**
   * Median CPU time the same imports used (all the process's threads): what the load costs apart
   * from waiting for a core, which on a busy machine blurs the wall time.
   */
  readonly initCpuMs?: number;
  /** What the top-level code does besides defining things: configuration read, connections tried. */
  readonly notes: readonly string[];
}

/** Reports what the benchmark is doing: a run takes half a minute or more. */
export interface BundleProgress {
  phase(message: string): void;
  load(done: number, total: number, fn: string): void;
}

export interface MeasureBundlesOptions {
  /**
   * A synthesized cloud assembly to read.
   * @default a fresh synthesis of the app into a private folder, removed afterwards
   */
  readonly assemblyDir?: string;
  /** Fresh processes per bundle; the median is reported. @default 15 */
  readonly runs?: number;
  readonly progress?: BundleProgress;
}

export const BASELINE_NAME = 'bare-handler (baseline)';

/** What a minimal real handler looks like: one client, made once at the top level, one call. */
const BASELINE_SOURCE = `
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const ddb = new DynamoDBClient({});
export const handler = async (event: { id: string }) => {
  const { Item } = await ddb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.id } } }));
  return Item ?? null;
};
`;

/** Region, account and endpoint the bundles see: local and unreachable, so a stray call fails fast. */
const LOCAL = { region: 'us-east-1', accountId: '000000000000', partition: 'aws', urlSuffix: 'amazonaws.com', endpoint: 'http://127.0.0.1:9' };

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  return statisticsMedian(values) ?? Number.NaN;
}

export interface ZipEntry {
  /** The path inside the archive, with forward slashes. */
  readonly name: string;
  readonly compressedBytes: number;
}

/**
 * The size of a zip holding these entries, deflated, without directory entries or extra fields
 * (how the CDK CLI packs an asset): a local header (30 bytes and the name) before each file's data,
 * a central directory record (46 bytes and the name) for each file, and the 22-byte end record.
 */
export function zipSize(entries: readonly ZipEntry[]): number {
  return entries.reduce((total, entry) => {
    const name = Buffer.byteLength(entry.name);
    return total + 30 + name + entry.compressedBytes + 46 + name;
  }, 22);
}

/** Variables Lambda, Node or the SDK's defaults look at: not the function's own configuration. */
const NOT_CONFIGURATION = /^(AWS_|LAMBDA_|_HANDLER$|_X_AMZN|TZ$|LANG$|PATH$|NODE_|POWERTOOLS_|HOME|USERPROFILE$|WATCH_REPORT_DEPENDENCIES$)/;

export interface InitObservation {
  /** Environment variables the top-level code read. */
  readonly envRead: readonly string[];
  /** Files and directories it read, relative to the code directory (the runtime's packages among them). */
  readonly files: readonly string[];
  /** Connections it tried (all refused). */
  readonly network: readonly string[];
  /** The variables the function's environment sets. */
  readonly configured: readonly string[];
}

/** Paths grouped by their first segment: `knowledge-base/ (36)`, `synonyms.yaml`. */
function summarisePaths(paths: readonly string[]): string {
  const nested = new Map<string, number>();
  for (const path of new Set(paths)) {
    const [first = path, ...rest] = path.split(/[\\/]/);
    nested.set(first, (nested.get(first) ?? 0) + (rest.length > 0 ? 1 : 0));
  }
  return [...nested].map(([first, count]) => (count > 0 ? `${first}/ (${count})` : first)).join(', ');
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The package a file under a node_modules folder belongs to (`@aws-sdk/client-dynamodb`), if it is under one. */
function packageOf(path: string): string | undefined {
  return /(?:^|[\\/])node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path)?.[1]?.replace('\\', '/');
}

/** The packages of the runtime a load read, clients first: `client-dynamodb, lib-dynamodb (31 files)`. */
function summariseRuntimeFiles(paths: readonly string[]): string {
  const files = new Set(paths);
  const named = [...new Set([...files].map(packageOf))].filter((name) => name?.startsWith('@aws-sdk/client-') || name?.startsWith('@aws-sdk/lib-'));
  return `${named
    .map((name) => name?.slice('@aws-sdk/'.length))
    .sort()
    .join(', ')} (${plural(files.size, 'file')})`;
}

/** What a load's probe saw, in words for the report: configuration, files, secrets, connections. */
export function describeInit(observed: InitObservation): string[] {
  const read = [...new Set(observed.envRead.filter((name) => !NOT_CONFIGURATION.test(name)))];
  const set = read.filter((name) => observed.configured.includes(name));
  const secrets = set.filter((name) => /SECRET|PASSWORD|TOKEN|API_KEY/.test(name)).sort();
  const network = [...new Set(observed.network)];
  const runtimeFiles = observed.files.filter((path) => packageOf(path) !== undefined);
  const ownFiles = observed.files.filter((path) => packageOf(path) === undefined);
  return [
    ...(read.length > 0 ? [`parses its configuration at import (${plural(set.length, 'variable')} set, ${read.length - set.length} unset)`] : []),
    ...(ownFiles.length > 0 ? [`reads files at import: ${summarisePaths(ownFiles)}`] : []),
    ...(runtimeFiles.length > 0 ? [`loads the runtime's AWS SDK: ${summariseRuntimeFiles(runtimeFiles)}`] : []),
    ...(secrets.length > 0 && network.length === 0 ? [`${secrets.join(', ')}: only the reference is read at import; the secret is fetched later`] : []),
    ...(network.length > 0 ? [`tries the network at import (refused): ${network.join(', ')}`] : []),
  ];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** The results as a text table, each function against the baseline when there is one, then the notes. */
export function formatTable(results: readonly BundleResult[], runs: number): string {
  const baseline = results.find((result) => result.function === BASELINE_NAME);
  const ratio = (value: number, base: number | undefined) => (base ? `${(value / base).toFixed(1)}×` : '');
  const cpu = results.some((result) => result.initCpuMs !== undefined);
  const ms = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value.toFixed(1) : '—');
  const header = ['function', 'bundle', 'zip', `init ms (median of ${runs})`, 'bundle vs base', 'init vs base', ...(cpu ? ['init CPU ms', 'CPU vs base'] : [])];
  const rows = results.map((result) => [
    result.function,
    formatBytes(result.bytes),
    formatBytes(result.zipBytes),
    ms(result.initMs),
    ratio(result.bytes, baseline?.bytes),
    ratio(result.initMs, baseline?.initMs),
    ...(cpu ? [ms(result.initCpuMs), ratio(result.initCpuMs ?? Number.NaN, baseline?.initCpuMs)] : []),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const notes = results.flatMap((result) => result.notes.map((note) => `  ${result.function}: ${note}`));
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), ...(notes.length > 0 ? ['', 'At import time:', ...notes] : [])].join(
    '\n',
  );
}

/** A bundle to load: its code directory, handler and the environment Lambda would give it. */
interface Target {
  readonly function: string;
  readonly codeDir: string;
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(directory, entry))
    .filter((path) => statSync(path).isFile());
}

function measureSize(codeDir: string): { bytes: number; zipBytes: number } {
  const files = filesUnder(codeDir);
  const contents = files.map((path) => readFileSync(path));
  return {
    bytes: contents.reduce((total, data) => total + data.length, 0),
    zipBytes: zipSize(
      files.map((path, index) => ({
        name: relative(codeDir, path).split(sep).join('/'),
        compressedBytes: deflateRawSync(contents[index] ?? Buffer.alloc(0)).length,
      })),
    ),
  };
}

/** Runs a command to completion, keeping its output for the error when it fails. */
function run(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed (${code}):\n${output.slice(-4000)}`))));
  });
}

/**
 * Synthesizes the app as the local cloud does, in a child process so that esbuild's per-function
 * summaries do not mix with the report. The template checks are skipped: they do not change the bundles.
 */
async function synthesizeInto(outdir: string): Promise<void> {
  const script = "const { synthesize } = await import('#infra/lifecycle-app.ts'); await synthesize({ outdir: process.argv[1] });";
  await run(['--import', 'tsx', '--input-type=module', '-e', script, outdir], { cwd: REPO_ROOT, env: { ...process.env, CDK_VALIDATION: 'false' } });
}

/**
 * The app's functions in every stack of the assembly: those BaseFunction made, which name their
 * handler in POWERTOOLS_SERVICE_NAME. That leaves out the probes the tests add to their assemblies.
 */
function functionsIn(assemblyDir: string): Target[] {
  return readAssembly(assemblyDir)
    .flatMap((stack) => readResources(stack, { ...LOCAL, stackName: stack.stackName }).functions)
    .flatMap((fn) => {
      const name = fn.environment.POWERTOOLS_SERVICE_NAME;
      return name ? [{ function: name, codeDir: fn.codeDir, handler: fn.handler, environment: fn.environment }] : [];
    })
    .sort((a, b) => a.function.localeCompare(b.function));
}

/** Builds the bare handler with the functions' own bundling settings into `outdir`. */
async function buildBaseline(outdir: string): Promise<Target> {
  const [{ build }, { BUNDLING }] = await Promise.all([import('esbuild'), import('#infra/constructs/base-function.ts')]);
  await build({
    stdin: { contents: BASELINE_SOURCE, loader: 'ts', resolveDir: REPO_ROOT, sourcefile: 'bare-handler.ts' },
    outfile: join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    // The construct's enum holds esbuild's own value ('esm').
    format: String(BUNDLING.format) as Format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    mainFields: BUNDLING.mainFields,
    external: [...BUNDLING.externalModules],
    banner: { js: BUNDLING.banner },
    charset: BUNDLING.esbuildArgs['--charset'] as Charset,
    logLevel: 'error',
  });
  return {
    function: BASELINE_NAME,
    codeDir: outdir,
    handler: 'index.handler',
    environment: {
      TABLE_NAME: 'baseline',
      AWS_ENDPOINT_URL: LOCAL.endpoint,
      AWS_REGION: LOCAL.region,
      AWS_DEFAULT_REGION: LOCAL.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_FUNCTION_NAME: 'bare-handler',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  };
}

/** The packages Lambda's Node.js runtime provides: what a bundle may import without carrying it. */
const RUNTIME_PACKAGES = ['@aws-sdk', '@smithy'];

/**
 * Gives the bundles under `scratch` the SDK as the runtime gives it to a function: a node_modules
 * above them holding the runtime's packages alone (links to the project's installed copies, whose
 * own dependencies resolve from there). Bundles synthesized inside the repository find the
 * project's node_modules by themselves, as they do in the local cloud.
 */
function provideRuntimePackages(scratch: string): void {
  const modules = join(scratch, 'node_modules');
  mkdirSync(modules);
  for (const scope of RUNTIME_PACKAGES) symlinkSync(join(REPO_ROOT, 'node_modules', scope), join(modules, scope), 'dir');
}

/**
 * Runs in each fresh process: refuses connections (recording them), records the variables read,
 * then times the import of the handler's module, as Lambda's init phase does, and writes the
 * result to file descriptor 3 so that the function's own logging cannot garble it.
 */
const PROBE = `
import fs from 'node:fs';
import net from 'node:net';
import dns from 'node:dns';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
const [url, exportName] = process.argv.slice(1);
const entry = fileURLToPath(url);
const network = [];
const refuse = (what) => { network.push(what); return new Error('the network is closed during the init benchmark: ' + what); };
net.Socket.prototype.connect = function (target, host) {
  throw refuse(typeof target === 'object' && target !== null ? (target.host ?? target.path ?? '?') + ':' + (target.port ?? '') : String(host ?? 'localhost') + ':' + target);
};
dns.lookup = (host) => { throw refuse('dns ' + host); };
globalThis.fetch = async (input) => { throw refuse(String(input?.url ?? input)); };
const files = [];
const record = (name) => (path, ...rest) => {
  const file = path instanceof URL ? fileURLToPath(path) : path;
  if (typeof file === 'string' && file !== entry) files.push(relative(process.cwd(), file));
  return original[name](path, ...rest);
};
const original = { readFileSync: fs.readFileSync, readdirSync: fs.readdirSync };
fs.readFileSync = record('readFileSync');
fs.readdirSync = record('readdirSync');
syncBuiltinESMExports();
const envRead = new Set();
process.env = new Proxy(process.env, { get: (target, key) => { if (typeof key === 'string') envRead.add(key); return Reflect.get(target, key); } });
let error;
const cpuBefore = process.cpuUsage();
const started = performance.now();
try {
  const module = await import(url);
  if (typeof (module[exportName] ?? module.default?.[exportName]) !== 'function') error = exportName + ' is not exported';
} catch (e) {
  error = String(e?.stack ?? e);
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
// The CommonJS modules it loaded, the runtime's SDK among them (some are read past fs.readFileSync).
for (const path of Object.keys(createRequire(entry).cache)) files.push(relative(process.cwd(), path));
fs.writeSync(3, JSON.stringify({ ms, cpuMs, error, network, files, envRead: [...envRead] }));
process.exit(0);
`;

interface ProbeResult {
  readonly ms: number;
  readonly cpuMs: number;
  readonly error?: string;
  readonly network: string[];
  readonly files: string[];
  readonly envRead: string[];
}

export class BundleInitError extends Error {
  override readonly name = 'BundleInitError';
}

/** One cold module initialisation of `target` in a new Node process. */
function loadOnce(target: Target): Promise<ProbeResult> {
  const dot = target.handler.lastIndexOf('.');
  const url = pathToFileURL(join(target.codeDir, `${target.handler.slice(0, dot)}.mjs`)).href;
  // Only the function's environment, never this shell's: no credentials or profiles leak in.
  const env = { ...target.environment, TZ: 'UTC', _HANDLER: target.handler, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', LAMBDA_TASK_ROOT: target.codeDir };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE, url, target.handler.slice(dot + 1)], {
      cwd: target.codeDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let result = '';
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdio[3]?.on('data', (chunk: Buffer) => (result += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const probe = result ? (JSON.parse(result) as ProbeResult) : undefined;
      if (probe && !probe.error) resolve(probe);
      else reject(new BundleInitError(`${target.function} failed to initialise (exit ${code ?? signal}): ${probe?.error ?? output.slice(-2000)}`));
    });
  });
}

/**
 * Measures every function's bundle and the baseline. Loads go round-robin (every bundle once,
 * then again), so that load from elsewhere on the machine spreads over all bundles alike.
 *
 * @example
 * const results = await measureBundles({ runs: 15 });
 * console.log(formatTable(results, 15));
 */
export async function measureBundles(options: MeasureBundlesOptions = {}): Promise<BundleResult[]> {
  const runs = options.runs ?? 15;
  const scratch = mkdtempSync(join(tmpdir(), 'bundle-bench-'));
  try {
    provideRuntimePackages(scratch);
    let assemblyDir = options.assemblyDir;
    if (!assemblyDir) {
      options.progress?.phase('Synthesizing the app (bundling every function)…');
      assemblyDir = join(scratch, 'assembly');
      await synthesizeInto(assemblyDir);
    }
    options.progress?.phase('Bundling the bare baseline handler…');
    const targets = [...functionsIn(assemblyDir), await buildBaseline(join(scratch, 'baseline'))];
    const samples = new Map<string, ProbeResult[]>(targets.map((target) => [target.function, []]));
    options.progress?.phase(`Loading each bundle ${runs} times, each in a fresh process…`);
    let done = 0;
    for (let round = 0; round < runs; round += 1) {
      for (const target of targets) {
        samples.get(target.function)?.push(await loadOnce(target));
        options.progress?.load((done += 1), runs * targets.length, target.function);
      }
    }
    return targets.map((target) => {
      const probes = samples.get(target.function) ?? [];
      return {
        function: target.function,
        ...measureSize(target.codeDir),
        initMs: median(probes.map((probe) => probe.ms)),
        initCpuMs: median(probes.map((probe) => probe.cpuMs)),
        notes: probes[0] ? describeInit({ ...probes[0], configured: Object.keys(target.environment) }) : [],
      };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
