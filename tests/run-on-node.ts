/**
 * `npm run test:node -- <node> [test files or vitest options]`: the test command (`npm test`) on
 * another Node than the one on this machine, e.g. the Node 24 that Lambda runs the functions on.
 *
 * <node> is a major version the project is checked on (20, 22, 24), an exact version (24.21.0), or
 * the path of a Node binary. A version is fetched once, from the npm registry's `node` package,
 * into .lifecycle/node/<version>/. Everything the tests start runs on that Node too: npm, vitest
 * and its workers, the `lifecycle` command, `npx cdk`, the local cloud and the functions in it.
 *
 * @example npm run test:node -- 24
 * @example npm run test:node -- 22 tests/unit tests/integration/record-event.test.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '#infra/paths.ts';

/** The newest release of each Node line the README says the project supports, as last checked. */
const CHECKED_NODES: Readonly<Record<string, string>> = { '20': '20.20.2', '22': '22.23.3', '24': '24.21.0' };

const USAGE = `usage: npm run test:node -- <${Object.keys(CHECKED_NODES).join('|')}|x.y.z|path/to/node> [test files or vitest options]`;

/** The Node binary of `version`, fetched into the project's cache when it is not there yet. */
function fetchNode(version: string): string {
  const dir = join(REPO_ROOT, '.lifecycle', 'node', version);
  const binary = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  // The package's install script picks the binary for this platform; npm 11 runs it only when allowed.
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, allowScripts: { node: true } })}\n`);
  console.log(`Fetching Node ${version} from the npm registry into ${dir}…`);
  const installed = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', dir, `node@${version}`], {
    stdio: 'inherit',
  });
  if (installed.status !== 0 || !existsSync(binary)) throw new Error(`could not fetch Node ${version} (npm exited with ${installed.status})`);
  return binary;
}

function nodeBinary(wanted: string): string {
  if (wanted.includes('/')) {
    const binary = resolve(wanted);
    if (!existsSync(binary)) throw new Error(`no Node binary at ${binary}`);
    return binary;
  }
  const version = CHECKED_NODES[wanted] ?? wanted;
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a Node version: ${wanted}\n${USAGE}`);
  return fetchNode(version);
}

const [wanted, ...testArgs] = process.argv.slice(2);
try {
  if (!wanted) throw new Error(USAGE);
  const binary = nodeBinary(wanted);
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`npm test on Node ${version} (${binary})`);
  // First on the PATH, the binary runs npm itself, every `#!/usr/bin/env node` script and npx.
  const env = { ...process.env, PATH: [dirname(binary), process.env.PATH].join(delimiter) };
  const tested = spawnSync('npm', ['test', ...(testArgs.length ? ['--', ...testArgs] : [])], { cwd: REPO_ROOT, env, stdio: 'inherit' });
  process.exitCode = tested.status ?? 1;
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exitCode = 1;
}
