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
}

export async function runCli(endpoint: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LIFECYCLE_ENDPOINT: endpoint } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as Partial<CliResult>;
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error), code: typeof failed.code === 'number' ? failed.code : 1 };
  }
}
