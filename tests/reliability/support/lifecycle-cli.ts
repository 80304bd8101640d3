/** The `lifecycle` command line's JSON output, run as an operator runs it, against a test cloud. */
import type { TestCloud } from '#tests/support/local-cloud.ts';
import { runCli } from '#tests/support/run-cli.ts';

/** Runs a command that prints JSON (`--json`) and parses it; fails with what it said otherwise. */
export async function lifecycleJson<T>(test: TestCloud, ...args: string[]): Promise<T> {
  const result = await runCli(test.cloud.endpoint, ...args, '--json');
  if (result.code !== 0) throw new Error(`lifecycle ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
