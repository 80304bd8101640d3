/** Runs the `lifecycle` command line as a user would (`npx lifecycle …`), against a local cloud. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../cli/lifecycle.mjs', import.meta.url));

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
  /** The command was still running at the deadline, and was stopped. */
  readonly timedOut: boolean;
}

/** Runs the command; one still running `deadlineMs` after it began is stopped (timedOut). */
export async function runCliWithin(deadlineMs: number | undefined, endpoint: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LIFECYCLE_ENDPOINT: endpoint }, ...(deadlineMs && { timeout: deadlineMs }) });
    return { stdout, stderr, code: 0, timedOut: false };
  } catch (error) {
    const failed = error as Partial<CliResult> & { killed?: boolean };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error), code: typeof failed.code === 'number' ? failed.code : 1, timedOut: failed.killed === true };
  }
}

export const runCli = (endpoint: string, ...args: string[]): Promise<CliResult> => runCliWithin(undefined, endpoint, ...args);
