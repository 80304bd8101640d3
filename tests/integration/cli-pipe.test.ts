/** The command line in a pipeline (`npx lifecycle … | head -1`): a reader that stops early is no error. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { cliEntry } from '#tests/support/run-cli.ts';

describe('the lifecycle CLI in a pipeline', () => {
  it('stops quietly, with success, when the reader of its output has gone', async () => {
    const child = spawn(process.execPath, [cliEntry(), 'journey', 'list', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the command writes anything, as `| head -1` closes after the first line.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    const [code] = (await once(child, 'exit')) as [number | null];

    expect(stderr).not.toContain('EPIPE');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
