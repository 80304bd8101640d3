/**
 * The README's "Write your first journey", done as a reader does it, in a copy of the project:
 * create the journey file the README shows, lock it, synthesize, run the stack in the local cloud,
 * trigger the journey with the command line and find its email in the local SES inbox. The journey
 * is taken from the README's text, so neither the tutorial nor the code can drift from the other.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, eventually, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo } from '#tests/support/observe.ts';
import { copyProject, type ProjectCopy } from '#tests/support/project-copy.ts';
import { readmeFileExample } from '#tests/support/readme.ts';
import { runProjectCli } from '#tests/support/run-cli.ts';

const run = promisify(execFile);
const example = readmeFileExample('### Write your first journey');
const customer = JSON.stringify({ id: 'c-tutorial', email: 'tutorial@example.com' });
const order = (n: number) => JSON.stringify({ orderId: `o-tutorial-${n}`, items: [{ productId: 'p-1', quantity: 1, price: 42 }], total: 42, currency: 'EUR' });

let project: ProjectCopy;
let test: TestCloud | undefined;
const lifecycle = (...args: string[]) => runProjectCli(project.root, test?.cloud.endpoint ?? '', ...args);

beforeAll(async () => {
  project = await copyProject();
}, 60_000);

afterAll(async () => {
  await test?.stop();
  await project.remove();
});

describe("the README's first journey, step by step", () => {
  it('is created, locked, synthesized, and sends its thank-you in the local cloud', { timeout: 300_000 }, async () => {
    // Create workflows/journeys/loyalty-thanks.yaml, as the README shows it.
    expect(example.path).toBe('workflows/journeys/loyalty-thanks.yaml');
    await writeFile(join(project.root, example.path), example.text);

    // npx lifecycle journey lock
    const locked = await lifecycle('journey', 'lock');
    expect(locked.stderr).toBe('');
    expect(locked.code).toBe(0);
    const lock = JSON.parse(await readFile(join(project.root, 'workflows', 'journeys.lock.json'), 'utf8')) as Record<string, { version: number }>;
    expect(lock['loyalty-thanks']?.version).toBe(1);

    // npm start synthesizes the app and runs it; the synthesis is the one `cdk synth` does.
    await run('npx', ['cdk', 'synth', '--quiet', '--no-notices'], { cwd: project.root, env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' } });
    // At noon UTC, not the machine's time of day: `local advance` runs the wake-ups that fall due
    // at the end of the jump, so a start late in the day would send the thank-you into quiet hours.
    test = await startTestCloud({ assemblyDir: join(project.root, 'cdk.out'), startTime: Date.parse('2026-11-22T12:00:00Z') });

    // npx lifecycle emit order.placed … : the fifth order starts the journey, for a customer who
    // takes the newsletter (marketing email needs the customer's consent).
    expect(
      (await lifecycle('emit', 'consent.updated', '--customer', customer, '--data', '{"channel":"email","topic":"newsletter","subscribed":true}')).code,
    ).toBe(0);
    for (let n = 1; n <= 5; n++) {
      const emitted = await lifecycle('emit', 'order.placed', '--customer', customer, '--data', order(n));
      expect(emitted.stderr).toBe('');
      await test.cloud.settle();
    }
    // npx lifecycle local advance 1d: past 10:00 the next morning, when the thank-you goes out.
    expect((await lifecycle('local', 'advance', '1d')).code).toBe(0);
    await test.cloud.settle();

    const running = test;
    const thanks = await eventually(
      async () => (await emailsTo(running, 'tutorial@example.com')).find((email) => email.subject.startsWith("You're one of our Gold members")),
      'the thank-you in the inbox',
    );
    expect(thanks.body.text).toContain('Gold');
    const stats = JSON.parse((await lifecycle('journey', 'stats', 'loyalty-thanks', '--json')).stdout) as {
      entered: number;
      messages: Record<string, { sent: number }>;
    };
    expect(stats.entered).toBe(1);
    expect(stats.messages.thanks?.sent).toBe(1);
    const { profile } = JSON.parse((await lifecycle('profile', 'show', 'c-tutorial', '--json')).stdout) as { profile: { attributes: Record<string, unknown> } };
    expect(profile.attributes.loyaltyTier).toBe('gold');
  });
});
