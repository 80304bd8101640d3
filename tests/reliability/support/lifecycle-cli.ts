/**
 * The `lifecycle` command line, run as an operator runs it (a process of its own), against a test
 * cloud: what it printed and how it exited.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestCloud } from '#tests/support/local-cloud.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../cli/lifecycle.mjs', import.meta.url));

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export async function lifecycle(test: TestCloud, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LIFECYCLE_ENDPOINT: test.cloud.endpoint } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error), code: typeof failed.code === 'number' ? failed.code : 1 };
  }
}

/** Runs a command that prints JSON (`--json`) and parses it; fails with what it said otherwise. */
export async function lifecycleJson<T>(test: TestCloud, ...args: string[]): Promise<T> {
  const result = await lifecycle(test, ...args, '--json');
  if (result.code !== 0) throw new Error(`lifecycle ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
