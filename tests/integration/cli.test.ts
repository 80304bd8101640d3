import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadJourneys } from '#shared/journeys/load-journeys.ts';
import { readProfile, readTimeline } from '#shared/profile/store.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo } from '#tests/support/observe.ts';
import { runCli } from '#tests/support/run-cli.ts';

let test: TestCloud;

const lifecycle = (...args: string[]) => runCli(test.cloud.endpoint, ...args);

beforeAll(async () => {
  test = await startTestCloud();
});

afterAll(async () => {
  await test.stop();
});

describe('the lifecycle CLI', () => {
  it('emits an event through the typed emitter', async () => {
    const data = JSON.stringify({ orderId: 'o-cli', items: [{ productId: 'p-1', quantity: 2, price: 10 }], total: 20, currency: 'EUR' });

    const result = await lifecycle(
      'emit',
      'order.placed',
      '--customer',
      '{"id":"c-cli","email":"cli@example.com"}',
      '--data',
      data,
      '--event-id',
      'cli-1',
      '--json',
    );

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

  it('deploys a synthesis into the running local cloud, and refuses one it cannot hotswap, with the reason', async () => {
    // The assembly the cloud runs: nothing changed.
    const same = await lifecycle('local', 'hotswap', '--assembly', inject('assemblyDir'));
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Nothing to deploy');

    const none = await lifecycle('local', 'hotswap', '--assembly', '/nonexistent/cdk.out');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no cloud assembly in /nonexistent/cdk.out');
  });

  it.each(['emit', 'profile show', 'local start', 'local advance', 'local hotswap', 'schemas', 'journey launch', 'journey stats', 'segment show'])(
    'has --help for %s',
    async (command) => {
      const result = await lifecycle(...command.split(' '), '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: lifecycle');
    },
  );
});

describe('the journey and segment commands', () => {
  const customers = ['cli-risk-1', 'cli-risk-2', 'cli-risk-3'];
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-journeys-'));
    // Three past buyers flagged at risk by the CRM: the at-risk segment.
    for (const id of customers) {
      const customer = JSON.stringify({ id, email: `${id}@example.com`, timezone: 'Asia/Seoul' });
      await lifecycle(
        'emit',
        'order.placed',
        '--customer',
        customer,
        '--data',
        JSON.stringify({ orderId: `o-${id}`, items: [{ productId: 'p-1', quantity: 1, price: 10 }], total: 10, currency: 'EUR' }),
      );
      await lifecycle('emit', 'consent.updated', '--customer', customer, '--data', JSON.stringify({ channel: 'email', subscribed: true }));
      await lifecycle('emit', 'profile.updated', '--customer', customer, '--data', JSON.stringify({ attributes: { churnRisk: true } }));
    }
    await test.cloud.settle();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the journeys and the segments of the repository', async () => {
    const journeys = JSON.parse((await lifecycle('journey', 'list', '--json')).stdout) as { name: string }[];
    const segments = await lifecycle('segment', 'list');

    expect(journeys.map((journey) => journey.name).sort()).toEqual((await loadJourneys()).map((journey) => journey.name).sort());
    expect(segments.stdout).toMatch(/at-risk +cron\(0 4 \* \* \? \*\)/);
  });

  it("shows a segment's members and exports them to CSV", async () => {
    const file = join(dir, 'at-risk.csv');
    const shown = JSON.parse((await lifecycle('segment', 'show', 'at-risk', '--export', file, '--json')).stdout) as {
      members: number;
      customerIds: string[];
      plan: { kind: string };
    };

    expect(shown.customerIds.filter((id) => id.startsWith('cli-risk-')).sort()).toEqual(customers);
    expect(shown.plan.kind).toBe('scan');
    const rows = (await readFile(file, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('customerId,stage,lastActivityAt');
    expect(rows).toHaveLength(shown.members + 1);
  });

  it('lists who would enter in a dry run and starts nothing', async () => {
    const result = await lifecycle('journey', 'launch', 'win-back', '--segment', 'at-risk', '--launch-id', 'cli-dry', '--dry-run', '--json');
    const report = JSON.parse(result.stdout) as { started: number; wouldEnter: { customerId: string; messages: { template: string }[] }[] };

    expect(report.started).toBe(0);
    const entering = report.wouldEnter.filter((entry) => entry.customerId.startsWith('cli-risk-'));
    expect(entering.map((entry) => entry.customerId).sort()).toEqual(customers);
    expect(entering.every((entry) => entry.messages[0]?.template === 'win-back-offer')).toBe(true);
    const stats = JSON.parse((await lifecycle('journey', 'stats', 'win-back', '--json')).stdout) as { entered: number };
    expect(stats.entered).toBe(0);
  });

  it('launches on customers from a CSV file once, however often it is run, and shows the stats', async () => {
    const file = join(dir, 'customers.csv');
    await writeFile(file, `customer_id\n${customers.join('\n')}\nnobody-here\n`);

    const first = JSON.parse((await lifecycle('journey', 'launch', 'win-back', '--customers', file, '--launch-id', 'cli-1', '--json')).stdout) as Record<
      string,
      unknown
    >;
    const again = JSON.parse((await lifecycle('journey', 'launch', 'win-back', '--customers', file, '--launch-id', 'cli-1', '--json')).stdout) as Record<
      string,
      unknown
    >;
    await test.cloud.settle();

    expect(first).toMatchObject({ considered: 4, started: 3, ineligible: 1, ineligibleBy: { 'no-profile': 1 } });
    expect(again).toMatchObject({ considered: 4, started: 0, alreadyStarted: 3 });
    const text = await lifecycle('journey', 'stats', 'win-back');
    expect(text.stdout).toContain('Journey win-back v2');
    expect(text.stdout).toMatch(/entered +active/);
    expect(text.stdout).toMatch(/\n *3 +/);
  });

  it('says in words that nobody would enter a dry run, and why', async () => {
    const unknown = join(dir, 'unknown.csv');
    const empty = join(dir, 'empty.csv');
    await writeFile(unknown, 'customer_id\nnobody-1\nnobody-2\n');
    await writeFile(empty, 'customer_id\n');

    const none = await lifecycle('journey', 'launch', 'win-back', '--customers', unknown, '--launch-id', 'cli-nobody', '--dry-run');
    const noAudience = await lifecycle('journey', 'launch', 'win-back', '--customers', empty, '--launch-id', 'cli-empty', '--dry-run');

    expect(none.stdout).toContain('Dry run: nothing was started. Nobody would enter: of 2 considered, 2 not eligible (no-profile).');
    expect(none.stdout).not.toMatch(/customer +messages/);
    expect(noAudience.stdout).toContain('Nobody would enter: the audience has no customers.');
  });

  it('refuses a launch without an audience, and names an unknown journey', async () => {
    const neither = await lifecycle('journey', 'launch', 'win-back');
    const unknown = await lifecycle('journey', 'launch', 'lost-journey', '--segment', 'at-risk');

    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('give either --segment or --customers');
    expect(unknown.stderr).toContain('no journey lost-journey; see lifecycle journey list');
  });

  it('shows where a customer is in a journey, and takes them out of it', { timeout: 60_000 }, async () => {
    await lifecycle(
      'emit',
      'lead.captured',
      '--customer',
      '{"id":"c-journey","email":"journey@example.com"}',
      '--data',
      '{"channel":"web","consent":{"email":true,"topics":["newsletter"]}}',
    );
    await test.cloud.settle();

    const shown = JSON.parse((await lifecycle('journey', 'show', 'welcome-series', '--customer', 'journey@example.com', '--json')).stdout) as Record<
      string,
      unknown
    >;
    // The welcome went out; the participant waits two days (then the next morning) before anything else.
    expect(shown).toMatchObject({ customerId: 'c-journey', journey: 'welcome-series', version: 1, step: 'next-morning', stepsTaken: ['welcome', 'two-days'] });
    // This cloud's clock runs at real speed: the wake-up is two days from when the lead came, a few seconds ago.
    const untilWake = Date.parse(String(shown.wakesAt)) - test.cloud.clock.now();
    expect(untilWake).toBeLessThanOrEqual(2 * 24 * 3600 * 1000);
    expect(untilWake).toBeGreaterThan(2 * 24 * 3600 * 1000 - 60_000);
    const scheduled = test.cloud.pendingSchedules();

    const exited = await lifecycle('journey', 'exit', 'welcome-series', '--customer', 'c-journey');
    expect(exited.stdout).toContain('Took c-journey out of welcome-series.');
    expect(test.cloud.pendingSchedules()).toBe(scheduled - 1);
    const after = await lifecycle('journey', 'show', 'welcome-series', '--customer', 'c-journey');
    expect(after.stdout).toMatch(/c-journey is not in welcome-series now \(last run ended removed at /);
    expect((await lifecycle('journey', 'exit', 'welcome-series', '--customer', 'c-journey')).stdout).toContain('nothing to do');
  });
});

// Last in the file: it moves the cloud's clock on, as the demo does.
describe("the CLI on the local cloud's clock", () => {
  const order = (orderId: string) => JSON.stringify({ orderId, items: [{ productId: 'p-1', quantity: 1, price: 42 }], total: 42, currency: 'EUR' });
  const confirmations = async (address: string) =>
    (await emailsTo(test, address)).filter((email) => /^Your order o-clock-\d is confirmed$/.test(email.subject));
  const orderTimes = async (customerId: string) =>
    (await readTimeline({ ddb: test.ddb, tableName: test.tableName }, customerId))
      .filter((entry) => entry.detailType === 'order.placed')
      .map((entry) => entry.occurredAt);

  it('stamps an emitted event with the virtual time, so an order placed after the clock moved on is confirmed', async () => {
    const wallClock = new Date().toISOString();
    expect((await lifecycle('local', 'advance', '8d')).code).toBe(0);

    const emitted = await lifecycle('emit', 'order.placed', '--customer', '{"id":"c-clock","email":"clock@example.com"}', '--data', order('o-clock-1'));
    expect(emitted.code).toBe(0);
    await test.cloud.settle();

    const sent = await eventually(async () => {
      const found = await confirmations('clock@example.com');
      return found.length > 0 ? found : undefined;
    }, 'the order confirmation');
    expect(sent.map((email) => email.subject)).toEqual(['Your order o-clock-1 is confirmed']);
    const [occurredAt = ''] = await orderTimes('c-clock');
    expect(Date.parse(occurredAt) - Date.parse(wallClock)).toBeGreaterThanOrEqual(8 * 86_400_000);
  });

  it('takes --occurred-at as given: an order from 8 days ago gets no confirmation', async () => {
    const eightDaysAgo = new Date(test.cloud.clock.now() - 8 * 86_400_000).toISOString();

    const emitted = await lifecycle(
      'emit',
      'order.placed',
      '--customer',
      '{"id":"c-clock-late","email":"clock-late@example.com"}',
      '--data',
      order('o-clock-2'),
      '--occurred-at',
      eightDaysAgo,
    );
    expect(emitted.code).toBe(0);
    await eventually(() => readProfile({ ddb: test.ddb, tableName: test.tableName }, 'c-clock-late'), 'the order to be recorded');
    await test.cloud.settle();

    expect(await confirmations('clock-late@example.com')).toEqual([]);
    expect(await orderTimes('c-clock-late')).toEqual([eightDaysAgo]);
  });
});

describe('emails not sent, and why', () => {
  const HOUR = 3_600_000;
  const customer = JSON.stringify({ id: 'cli-no-consent', email: 'cli-no-consent@example.com', timezone: 'UTC' });
  const cart = { cartId: 'cart-nc', items: [{ productId: 'p-1', quantity: 1, price: 10 }], total: 10, currency: 'EUR' };
  const at = (offsetMs: number) => new Date(test.cloud.clock.now() + offsetMs).toISOString();

  beforeAll(async () => {
    // A cart left behind by a customer who never consented to offers: cart recovery runs its
    // course, and none of its emails may go out.
    await lifecycle('emit', 'cart.updated', '--customer', customer, '--occurred-at', at(0), '--data', JSON.stringify(cart));
    // The reminder after an hour; then, the checkout not started within a day, the last call.
    for (const hours of [2, 24]) {
      await test.cloud.settle();
      test.cloud.clock.advance(hours * HOUR);
    }
    await test.cloud.settle();
    // An order the shop reports three days late: its confirmation is no longer news.
    const order = { orderId: 'o-late', items: cart.items, total: 10, currency: 'EUR' };
    await lifecycle('emit', 'order.placed', '--customer', customer, '--occurred-at', at(-72 * HOUR), '--data', JSON.stringify(order));
    await test.cloud.settle();
  });

  it('lists each step of a journey with its emails sent and skipped by reason, and no holdout table for a journey without one', async () => {
    const stats = JSON.parse((await lifecycle('journey', 'stats', 'cart-recovery', '--json')).stdout) as {
      measuresLift: boolean;
      messages: Record<string, { sent: number; skipped: Record<string, number> }>;
    };
    const text = (await lifecycle('journey', 'stats', 'cart-recovery')).stdout;

    expect(stats.measuresLift).toBe(false);
    expect(stats.messages.reminder).toMatchObject({ sent: 0, skipped: { 'no-consent': 1 } });
    expect(text).toMatch(/\nreminder +0 +0 +0 +0 +0 +no-consent 1\n/);
    expect(text).not.toContain('Holdout versus treatment');
    expect(text).not.toContain('lift');
    // win-back has a holdout step: its table stays.
    expect((await lifecycle('journey', 'stats', 'win-back')).stdout).toContain('Holdout versus treatment');
  });

  it("shows the customer's emails with what became of each, and why one was not sent", async () => {
    const view = JSON.parse((await lifecycle('profile', 'show', 'cli-no-consent', '--json')).stdout) as { messages: Record<string, unknown>[] };
    const text = (await lifecycle('profile', 'show', 'cli-no-consent')).stdout;

    expect(view.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          template: 'cart-reminder',
          status: 'skipped',
          reason: 'no-consent',
          origin: expect.objectContaining({ journey: 'cart-recovery', step: 'reminder' }),
        }),
        expect.objectContaining({ template: 'order-confirmation', status: 'skipped', reason: 'too-old', origin: { workflow: 'buy' } }),
      ]),
    );
    // Nothing went out, and each says why.
    expect(view.messages.map((message) => message.status)).toEqual(view.messages.map(() => 'skipped'));
    expect(text).toContain('Recent emails');
    expect(text).toMatch(/cart-reminder +marketing +cart-recovery v\d+ \/ reminder +skipped: no-consent/);
    expect(text).toMatch(/order-confirmation +transactional +workflow buy +skipped: too-old/);
  });

  it('counts the skipped emails by reason in the report', async () => {
    const report = JSON.parse((await lifecycle('report', '--json')).stdout) as { emails: { skipped: Record<string, number> } };
    const text = (await lifecycle('report')).stdout;

    expect(report.emails.skipped['no-consent']).toBeGreaterThanOrEqual(1);
    expect(report.emails.skipped['too-old']).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/skipped by reason: .*no-consent \d+/);
    expect(text).toMatch(/skipped by reason: .*too-old \d+/);
  });
});
