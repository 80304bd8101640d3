/**
 * `npm start` on whichever Node runs the tests (20, 22 or 24: `npm run test:node -- 24`) says
 * nothing on stderr from start to stop: no AWS SDK notice about the Node version, no deprecation,
 * no experimental warning — from the command, the local cloud, or the functions running in it.
 * The cloud keeps its DynamoDB data on disk here, so the native storage module loads on that Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '#tests/support/local-cloud.ts';
import { cliEntry, runCli } from '#tests/support/run-cli.ts';

// Long enough for the command to load, the cloud to start and a function to answer on a busy machine.
const START_DEADLINE_MS = 60_000;
const customer = JSON.stringify({ id: 'c-quiet', email: 'quiet@example.com' });

let dataDir: string;
let started: ChildProcess;
let stdout = '';
let stderr = '';

/** What a developer's shell has: none of the switches that would hide a warning. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'NODE_OPTIONS', 'NODE_NO_WARNINGS']) delete env[name];
  return env;
}

// A line counts once it is whole: a chunk of output may end in the middle of an address.
const printed = (pattern: RegExp): Promise<string> => eventually(async () => pattern.exec(stdout)?.[1], `${pattern} on stdout`, START_DEADLINE_MS);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lifecycle-quiet-'));
  const args = [
    'local',
    'start',
    '--no-demo',
    '--port',
    '0',
    '--ses-port',
    '0',
    '--console-port',
    '0',
    '--assembly',
    inject('assemblyDir'),
    '--data-dir',
    dataDir,
  ];
  started = spawn(process.execPath, [cliEntry(), ...args], { env: userEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  started.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
});

afterAll(async () => {
  if (started.exitCode === null) started.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe(`npm start on Node ${process.versions.node}`, () => {
  it('starts, runs functions and stops without a word on stderr', { timeout: 180_000 }, async () => {
    const endpoint = await printed(/ready: the local cloud accepts requests on (\S+)\n/);
    const inbox = await printed(/SES inbox +(\S+)\n/);
    const consoleUrl = await printed(/console +(\S+)\n/);
    // The console answers beside the cloud, on loopback.
    expect((await fetch(`${consoleUrl}/journeys`)).status).toBe(200);

    // A support request runs the stage workflow, the profile store and the knowledge base's
    // answer (or its acknowledgement), which ends in the local SES inbox.
    const emitted = await runCli(
      endpoint,
      'emit',
      'support.requested',
      '--customer',
      customer,
      '--data',
      '{"requestId":"r-quiet","channel":"email","message":"How do I reset my password?"}',
    );
    expect(emitted).toMatchObject({ code: 0, stderr: '' });
    await eventually(
      async () => {
        const emails = (await (await fetch(`${inbox}/store`)).json()) as { emails: { destination: { to: string[] } }[] };
        return emails.emails.find((email) => email.destination.to.includes('quiet@example.com'));
      },
      'the reply in the SES inbox',
      START_DEADLINE_MS,
    );
    const exited = new Promise((resolve) => started.once('exit', resolve));
    started.kill('SIGINT');
    const code = await exited;

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('Stopping the local cloud');
  });
});
