/**
 * `lifecycle local start` (what `npm start` runs) on ports it cannot have: it must stop at once
 * with a non-zero exit, naming the port and the option that changes it — not hang, not crash with
 * a stack or a null.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '#local/edge/edge-server.ts';
import { PortUnavailableError } from '#local/ports.ts';
import { startTestCloud } from '#tests/support/local-cloud.ts';
import { runCliWithin } from '#tests/support/run-cli.ts';

// Long enough for the command to load on a busy machine; a start that waits on anything hangs past it.
const DEADLINE_MS = 45_000;
let taken: Server;
let port: number;

beforeAll(async () => {
  // Another program on a port: any free one the system gives.
  taken = createServer();
  port = await listen(taken, 0);
});

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
});

const start = (...args: string[]) => runCliWithin(DEADLINE_MS, 'http://127.0.0.1:1', 'local', 'start', '--no-demo', '--console-port', '0', ...args);

describe('lifecycle local start on a port it cannot have', () => {
  it('stops at once when the endpoint port is in use, and names the port and --port', async () => {
    const result = await start('--port', String(port), '--ses-port', '0');

    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: port ${port} is in use: the local cloud's endpoint could not start on it`);
    expect(result.stderr).toContain('choose another port with --port <n>');
    expect(result.stderr).not.toMatch(/null|at .+\.ts:\d+/);
  });

  it('stops at once when the SES inbox port is in use, and names the port and --ses-port', async () => {
    const result = await start('--port', '0', '--ses-port', String(port));

    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: port ${port} is in use: the local cloud's SES inbox could not start on it`);
    expect(result.stderr).toContain('choose another port with --ses-port <n>');
  });

  it('stops at once when the console port is in use, and names the port and --console-port', async () => {
    const result = await start('--port', '0', '--ses-port', '0', '--console-port', String(port));

    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${port} is in use`);
    expect(result.stderr).toContain('choose another port with --console-port <n>');
  });

  it('refuses a port that is not a port number before starting anything', async () => {
    const result = await start('--port', '70000');

    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--port must be a port number from 0 to 65535 (0: any free port), not 70000');
  });
});

describe('the local cloud on a port it cannot have', () => {
  it.each([
    ['endpoint', 'port'],
    ['SES inbox', 'sesPort'],
  ] as const)('rejects with the port and what was to listen on it (%s)', async (user, option) => {
    const options = { port: 0, sesPort: 0, [option]: port };

    const started = startTestCloud(options);

    await expect(started).rejects.toBeInstanceOf(PortUnavailableError);
    await expect(started).rejects.toMatchObject({ port, user, code: 'EADDRINUSE' });
  });
});
