/** Runs the `lifecycle` command line as a user would (`npx lifecycle …`), against a local cloud. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '#infra/paths.ts';

const run = promisify(execFile);

/** The `lifecycle` command's entry point in the project at `root`. */
export const cliEntry = (root = REPO_ROOT): string => join(root, 'cli', 'lifecycle.mjs');

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
  /** The command was still running at the deadline, and was stopped. */
  readonly timedOut: boolean;
}

/**
 * The `lifecycle` command of the project at `root` (this one, or a copy of it), run from that
 * folder; one still running `deadlineMs` after it began is stopped (timedOut).
 */
export async function runProjectCliWithin(root: string, deadlineMs: number | undefined, endpoint: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliEntry(root), ...args], {
      cwd: root,
      env: { ...process.env, LIFECYCLE_ENDPOINT: endpoint },
      ...(deadlineMs && { timeout: deadlineMs }),
    });
    return { stdout, stderr, code: 0, timedOut: false };
  } catch (error) {
    const failed = error as Partial<CliResult> & { killed?: boolean };
    return {
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
      code: typeof failed.code === 'number' ? failed.code : 1,
      timedOut: failed.killed === true,
    };
  }
}

export const runCli = (endpoint: string, ...args: string[]): Promise<CliResult> => runProjectCliWithin(REPO_ROOT, undefined, endpoint, ...args);
export const runCliWithin = (deadlineMs: number | undefined, endpoint: string, ...args: string[]): Promise<CliResult> =>
  runProjectCliWithin(REPO_ROOT, deadlineMs, endpoint, ...args);
export const runProjectCli = (root: string, endpoint: string, ...args: string[]): Promise<CliResult> => runProjectCliWithin(root, undefined, endpoint, ...args);
