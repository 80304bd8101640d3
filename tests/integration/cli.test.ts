import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProfile } from '#shared/profile/store.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../cli/lifecycle.mjs', import.meta.url));
let test: TestCloud;

/** Runs the CLI as a user would (`npx lifecycle …`), against the test's local cloud. */
async function lifecycle(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, LIFECYCLE_ENDPOINT: test.cloud.endpoint } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

beforeAll(async () => {
  test = await startTestCloud();
});

afterAll(async () => {
  await test.stop();
});

describe('the lifecycle CLI', () => {
  it('emits an event through the typed emitter', async () => {
    const data = JSON.stringify({ orderId: 'o-cli', items: [{ productId: 'p-1', quantity: 2, price: 10 }], total: 20, currency: 'EUR' });

    const result = await lifecycle('emit', 'order.placed', '--customer', '{"id":"c-cli","email":"cli@example.com"}', '--data', data, '--event-id', 'cli-1', '--json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ detailType: 'order.placed', eventId: 'cli-1', bus: test.busName });
    await eventually(() => readProfile({ ddb: test.ddb, tableName: test.tableName }, 'c-cli'), 'the emitted event to be recorded');
  });

  it('refuses an invalid event with the reason and sends nothing', async () => {
    const result = await lifecycle('emit', 'order.placed', '--customer', '{"id":"c-cli-bad"}', '--data', '{"orderId":"o"}');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('data.items: is required');
  });

  it('shows a profile by id or by email, as JSON for scripts', async () => {
    await test.cloud.settle();
    const byId = await lifecycle('profile', 'show', 'c-cli', '--json');
    const byEmail = await lifecycle('profile', 'show', 'CLI@example.com', '--json');

    expect(JSON.parse(byId.stdout)).toMatchObject({
      profile: { customerId: 'c-cli', stage: 'buy', counters: { orders: 1 }, revenue: { EUR: 20 } },
      stageHistory: [{ to: 'buy' }],
      recent: [{ detailType: 'order.placed', source: 'com.example.cli' }],
    });
    expect(JSON.parse(byEmail.stdout).profile.customerId).toBe('c-cli');
  });

  it('shows a profile for people, and says when there is none', async () => {
    const shown = await lifecycle('profile', 'show', 'c-cli');
    const missing = await lifecycle('profile', 'show', 'c-nobody');

    expect(shown.stdout).toContain('Customer c-cli');
    expect(shown.stdout).toContain('Stage history');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no customer c-nobody');
  });

  it("moves the local cloud's clock", async () => {
    const before = test.cloud.clock.now();

    const result = await lifecycle('local', 'advance', '3d', '--json');

    const now = Date.parse(JSON.parse(result.stdout).now);
    expect(now - before).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(now - before).toBeLessThan(3 * 86_400_000 + 60_000);
  });

  it.each(['emit', 'profile show', 'local start', 'local advance', 'schemas'])('has --help for %s', async (command) => {
    const result = await lifecycle(...command.split(' '), '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: lifecycle');
  });
});
