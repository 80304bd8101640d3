/** Runs the `lifecycle` command line as a user would (`npx lifecycle …`), against a local cloud. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '#infra/constructs/paths.ts';

const run = promisify(execFile);

/** The `lifecycle` command's entry point in the project at `root`. */
export const cliEntry = (root = REPO_ROOT): string => join(root, 'cli', 'lifecycle.mjs');

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export async function runCli(endpoint: string, ...args: string[]): Promise<CliResult> {
  return runProjectCli(REPO_ROOT, endpoint, ...args);
}

/** The `lifecycle` command of the project at `root` (this one, or a copy of it), run from that folder. */
export async function runProjectCli(root: string, endpoint: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliEntry(root), ...args], { cwd: root, env: { ...process.env, LIFECYCLE_ENDPOINT: endpoint } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as Partial<CliResult>;
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error), code: typeof failed.code === 'number' ? failed.code : 1 };
  }
}
