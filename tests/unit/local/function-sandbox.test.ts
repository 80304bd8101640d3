import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FunctionError, FunctionSandbox, ISOLATED, SHARED, type Scaling } from '#local/lambda/function-sandbox.ts';

// A handler that says how many invocations its environment runs at once and how many it has run:
// module state is the environment's, as in Lambda. `hold` keeps an invocation running until released.
const HANDLER = `
let running = 0;
let served = 0;
const held = [];
export const handler = async (event) => {
  running++;
  served++;
  const seen = { runningAtOnce: running, served };
  if (event.hang) await new Promise(() => {});
  if (event.hold) await new Promise((resolve) => held.push(resolve));
  if (event.release) for (const resolve of held.splice(0)) resolve();
  running--;
  return seen;
};
`;

let codeDir: string;
const sandboxes: FunctionSandbox[] = [];
const clockState = new Float64Array(new SharedArrayBuffer(3 * Float64Array.BYTES_PER_ELEMENT)).fill(1);

function sandbox(scaling: Scaling, options: { timeoutSeconds?: number } = {}): FunctionSandbox {
  const spec = {
    name: 'probe',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
    codeDir,
    handler: 'index.handler',
    environment: {},
    timeoutSeconds: options.timeoutSeconds ?? 60,
    memoryMb: 128,
  };
  const created = new FunctionSandbox(spec, clockState, undefined, scaling);
  sandboxes.push(created);
  return created;
}

beforeEach(async () => {
  codeDir = await mkdtemp(join(tmpdir(), 'lifecycle-sandbox-'));
  await writeFile(join(codeDir, 'index.mjs'), HANDLER);
});

afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((each) => each.close()));
  await rm(codeDir, { recursive: true, force: true });
});

/** How an invocation ends, caught at once (a rejection is never left unhandled). */
const outcomeOf = (invocation: Promise<unknown>) =>
  invocation.then(
    () => 'answered',
    (error: unknown) => (error instanceof FunctionError ? error.payload.errorType : 'failed'),
  );

const resultOf = async (invocation: Promise<{ result: unknown }>) => (await invocation).result as { runningAtOnce: number; served: number };

describe('a function sandbox', () => {
  it('isolated, runs one invocation at a time in each environment, scaling out to more for concurrent ones', async () => {
    const fn = sandbox(ISOLATED);
    const held = [fn.invoke({ hold: true }), fn.invoke({ hold: true })].map(outcomeOf);
    // A third environment cannot release the other two: each environment holds its own.
    const third = await resultOf(fn.invoke({}));
    expect(third.runningAtOnce).toBe(1);
    expect(fn.coldStarts).toBe(3);
    await fn.close();
    expect(await Promise.all(held)).toEqual(['Runtime.ExitError', 'Runtime.ExitError']);
  });

  it('keeps an environment warm: invocations one after another run in the same one', async () => {
    const fn = sandbox(ISOLATED);
    const served: number[] = [];
    for (let n = 0; n < 3; n++) served.push((await resultOf(fn.invoke({}))).served);
    expect(served).toEqual([1, 2, 3]);
    expect(fn.coldStarts).toBe(1);
  });

  it('shared (the default), runs concurrent invocations in one warm environment', async () => {
    const fn = sandbox(SHARED);
    const first = outcomeOf(fn.invoke({ hold: true }));
    const second = await resultOf(fn.invoke({ release: true }));
    expect(second.runningAtOnce).toBe(2);
    expect(await first).toBe('answered');
    expect(fn.coldStarts).toBe(1);
  });

  it('queues invocations beyond its environments until one is free', async () => {
    const fn = sandbox({ environments: 1, invocationsEach: 1 });
    const first = outcomeOf(fn.invoke({ hold: true }));
    // The second would release the first, had it run beside it: it waits instead.
    const second = outcomeOf(fn.invoke({ release: true }));
    expect(fn.coldStarts).toBe(1);
    await fn.close();
    expect(await Promise.all([first, second])).toEqual(['Runtime.ExitError', 'Runtime.ExitError']);
  });

  it('recycles a timed-out invocation’s environment, and no other', async () => {
    // Long enough for a loaded machine to answer the other invocations well within it.
    const fn = sandbox(ISOLATED, { timeoutSeconds: 3 });
    const hung = outcomeOf(fn.invoke({ hang: true }));
    expect((await resultOf(fn.invoke({}))).served).toBe(1);
    expect(await hung).toBe('Sandbox.Timedout');
    // The other environment was not recycled with it: still warm, it serves the next invocation.
    expect((await resultOf(fn.invoke({}))).served).toBe(2);
    expect(fn.coldStarts).toBe(2);
  });
});
