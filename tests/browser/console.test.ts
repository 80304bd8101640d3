/**
 * The console in a real browser, on the demo population: every page opens, a journey is launched
 * with a dry run and then for real and its participants appear on the journey page, a customer is
 * found by email, and at phone width nothing scrolls sideways. Expected values are the test's own:
 * the customers it emitted, the journey file's step ids, the words of each language.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '#console/index.ts';
import { loadDefinitions } from '#infra/definitions.ts';
import { runDemo } from '#cli/demo/run-demo.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import { launchChromium } from '#tests/support/browser.ts';
import { emitAndSettle, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

const SETUP_TIMEOUT = 300_000;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The test's own customers: known by id and email, not yet in any journey. */
const CUSTOMERS = ['console-a', 'console-b', 'console-c'];
const emailOf = (id: string) => `${id}@example.com`;
const PAGES = [
  '/journeys',
  '/journeys/win-back',
  '/journeys/win-back/launch',
  '/journeys/win-back/file',
  `/customers/${CUSTOMERS[0]}`,
  '/segments',
  '/segments/at-risk',
  '/templates',
  '/templates/win-back-offer',
  '/reports',
  '/operations',
];

let test: TestCloud;
let consoleServer: ConsoleServer;
let browser: Browser;
let sampleCustomerId: string;
/** How many malformed events the demo sent: each is rejected and parked in a dead-letter queue. */
let malformedSent: number;

/** With LIFECYCLE_SCREENSHOTS=<dir> (npm run console:screenshots), the README's pictures of the console are taken on the way. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.LIFECYCLE_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, name), fullPage: true });
}

beforeAll(async () => {
  browser = await launchChromium();
  const definitions = await loadDefinitions();
  test = await startTestCloud();
  ({ sampleCustomerId, malformedSent } = await runDemo(test.cloud, { customers: 20, seed: 3, progress: false, journeys: definitions.journeys }));
  await emitAndSettle(
    test,
    CUSTOMERS.map((id) => ({ detailType: 'lead.captured', detail: { customer: { id, email: emailOf(id), name: id }, data: { channel: 'web' } } }) as EmitInput),
  );
  consoleServer = await startConsole({ endpoint: test.cloud.endpoint, port: 0, definitions });
}, SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await consoleServer?.stop();
  await test?.stop();
});

async function open(path: string, options: { width?: number; locale?: string } = {}): Promise<Page> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: options.width ?? 1280, height: 900 },
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const response = await page.goto(`${consoleServer.url}${path}`);
  expect(response?.status(), path).toBe(200);
  return page;
}

const count = async (page: Page, selector: string) => Number(await page.locator(selector).innerText());
/** The runs a graph node says entered its step. */
const enteredStep = async (page: Page, step: string) =>
  Number(/Entered (\d+)/.exec((await page.locator(`svg [data-step="${step}"]`).textContent()) ?? '')?.[1]);
/** Win-back's steps up to its first wait (a launch runs them at once), and those after it (not reached until the wait ends). */
const BEFORE_WAIT = ['holdout', 'tag', 'offer', 'until-renewal'];
const AFTER_WAIT = ['no-click', 'reminder', 'done'];

describe('the console', () => {
  it('lists every journey of the repository with its trigger and live version', async () => {
    const page = await open('/journeys');

    const names = await page.locator('tbody tr td:first-child').allInnerTexts();
    expect(names.sort()).toEqual(['browse-abandon', 'cart-recovery', 'csat-survey', 'loyalty', 'onboarding-nudge', 'welcome-series', 'win-back']);
    await expect(page.locator('tbody tr', { hasText: 'win-back' }).innerText()).resolves.toContain('segment at-risk');
  });

  it("draws a journey's steps from its file, each send step with its counts", async () => {
    const page = await open('/journeys/win-back');

    for (const step of ['holdout', 'tag', 'offer', 'until-renewal', 'no-click', 'reminder', 'done'])
      await expect(page.locator(`svg [data-step="${step}"]`).count()).resolves.toBe(1);
    await expect(page.locator('svg [data-step="offer"]').textContent()).resolves.toContain('win-back-offer');
    await expect(page.locator('svg [data-step="offer"]').textContent()).resolves.toMatch(/sent \d+/);
  });

  it('launches a journey from a dry run, once however often Launch is clicked, and its participants appear on the journey page', async () => {
    const before = await open('/journeys/win-back');
    const enteredBefore = await count(before, '[data-count="entered-v2"]');
    const stepsBefore = new Map(await Promise.all([...BEFORE_WAIT, ...AFTER_WAIT].map(async (step) => [step, await enteredStep(before, step)] as const)));
    for (const [step, entered] of stepsBefore) expect(Number.isInteger(entered), step).toBe(true);
    const page = await open('/journeys/win-back/launch');
    await page.getByLabel('Customers from a CSV file').check();
    await page
      .locator('#csv-file')
      .setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(`customerId\n${CUSTOMERS.join('\n')}\n`) });
    await expect.poll(() => page.locator('#csv-text').inputValue()).toContain(CUSTOMERS[2]);
    await page.locator('#launch-id').fill('console-test-1');

    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect(page.locator('[data-field="would-enter"]').innerText()).resolves.toBe(String(CUSTOMERS.length));
    const sample = await page.locator('.dry-run tbody tr').allInnerTexts();
    expect(sample.map((row) => row.split('\t')[0])).toEqual(expect.arrayContaining(CUSTOMERS));
    for (const row of sample) expect(row).toContain('win-back-offer');

    await page.getByRole('button', { name: 'Launch now' }).dblclick();
    await page.waitForURL('**/journeys/win-back/launches/console-test-1');
    await page.locator('[data-state="done"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-field="started"]').innerText()).resolves.toBe(String(CUSTOMERS.length));
    // The launch wrote its progress as it went, the list's length its total: all three considered, 100%.
    await expect(page.locator('[data-field="percent"]').textContent()).resolves.toBe('100%');
    await expect(page.locator('[data-field="total"]').textContent()).resolves.toBe(String(CUSTOMERS.length));
    const progress = await page.request.get(`${consoleServer.url}/journeys/win-back/launches/console-test-1/progress`);
    expect(await progress.json()).toMatchObject({ considered: 3, started: 3, alreadyStarted: 0, ineligible: 0, total: 3, done: true, percent: 100 });

    const after = await open('/journeys/win-back');
    expect(await count(after, '[data-count="entered-v2"]')).toBe(enteredBefore + CUSTOMERS.length);
    // Each launched customer runs every step up to the first wait, and none after it, whatever the holdout draws.
    for (const step of BEFORE_WAIT) expect(await enteredStep(after, step), step).toBe((stepsBefore.get(step) ?? Number.NaN) + CUSTOMERS.length);
    for (const step of AFTER_WAIT) expect(await enteredStep(after, step), step).toBe(stepsBefore.get(step));
    await screenshot(after, 'journey.png');
  });

  it('finds a customer by email from the search box', async () => {
    const page = await open('/journeys');
    const [id = ''] = CUSTOMERS;

    await page.getByRole('searchbox').fill(emailOf(id));
    await page.getByRole('searchbox').press('Enter');

    await page.waitForURL(`**/customers/${encodeURIComponent(emailOf(id))}`);
    await expect(page.locator('h1').innerText()).resolves.toBe(`Customer ${id}`);
    await expect(page.locator('[data-field="contact"]').innerText()).resolves.toContain(emailOf(id));
    await screenshot(await open(`/customers/${sampleCustomerId}`), 'customer.png');
  });

  it('exports every member of a segment as CSV, as many as the page counts', async () => {
    const page = await open('/segments/at-risk');
    const members = await count(page, '[data-field="members"]');

    const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export every member as CSV' }).click()]).then(
      ([each]) => each,
    );
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n');

    expect(lines[0]).toBe('customerId,stage,lastActivityAt');
    expect(lines.length - 1).toBe(members);
  });

  it("draws a segment's size over the days its scheduled evaluation ran", async () => {
    // The demo moves the clock on eight days: the at-risk segment's daily 04:00 evaluation runs on each.
    const page = await open('/segments/at-risk');

    expect(Number(await page.locator('[data-points]').getAttribute('data-points'))).toBeGreaterThanOrEqual(7);
    await expect(page.locator('[data-points] svg').count()).resolves.toBe(1);
  });

  it('renders a template in English and Korean, at desktop and phone width', async () => {
    const page = await open('/templates/win-back-offer');

    // Korean advertising email is marked (광고) in its subject, as the law asks.
    await expect(page.locator('[data-subject="ko"]').innerText()).resolves.toMatch(/^\(광고\)/);
    await expect(page.locator('[data-subject="en"]').innerText()).resolves.toContain('15%');
    await expect(page.locator('iframe.email-preview').count()).resolves.toBe(4);
  });

  it('shows the report and the dead-letter queues', async () => {
    const reports = await open('/reports');
    await expect(reports.frameLocator('iframe').locator('svg').first().count()).resolves.toBe(1);

    const operations = await open('/operations');
    await expect(operations.locator('[data-queue]').count()).resolves.toBeGreaterThan(0);
  });

  it("holds the demo's malformed events in a dead-letter queue, and a redrive's dry run changes nothing", async () => {
    const page = await open('/operations');
    const waiting = await page
      .locator('[data-queue]')
      .evaluateAll((cells) => cells.map((cell) => ({ queue: cell.getAttribute('data-queue') ?? '', count: Number(cell.textContent) })));
    expect(waiting.reduce((sum, each) => sum + each.count, 0)).toBeGreaterThanOrEqual(malformedSent);
    const { queue } = waiting.find((each) => each.count > 0) ?? { queue: '' };
    const before = await count(page, `[data-queue="${queue}"]`);

    await page.getByRole('button', { name: `Dry run: ${queue}` }).click();

    await expect(page.locator('.redrive h2').innerText()).resolves.toBe('Dry run: nothing was changed');
    expect(await count(page, `[data-queue="${queue}"]`)).toBe(before);
  });

  it('answers only to itself: a request naming another host, or a form from another origin, is refused', async () => {
    const status = (path: string, method: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(path, consoleServer.url);
        request(url, { method, headers }, (response) => resolve(response.resume().statusCode ?? 0))
          .on('error', reject)
          .end(method === 'POST' ? 'audience=segment&segment=at-risk&launchId=evil&action=launch' : undefined);
      });

    expect(await status('/journeys', 'GET', {})).toBe(200);
    expect(await status('/journeys', 'GET', { host: 'attacker.example' })).toBe(403);
    expect(await status('/journeys/win-back/launch', 'POST', { origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded' })).toBe(
      403,
    );
  });

  it('works from the keyboard: the first Tab reaches the skip link, and Enter there moves to the page', async () => {
    const page = await open('/journeys');

    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');

    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });

  it('speaks Korean to a Korean browser, and switches to English', async () => {
    const page = await open('/journeys', { locale: 'ko-KR' });
    await expect(page.locator('h1').innerText()).resolves.toBe('여정');

    await page.getByRole('button', { name: 'English' }).click();

    await expect(page.locator('h1').innerText()).resolves.toBe('Journeys');
  });

  it.each(PAGES)('has no serious accessibility fault on %s (axe, WCAG 2 A and AA: contrast, labels, names, landmarks)', async (path) => {
    const page = await open(path);
    await page.addScriptTag({ path: AXE });

    const violations = await page.evaluate(async () => {
      const { axe } = window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      };
      const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
      return result.violations.filter((each) => each.impact === 'serious' || each.impact === 'critical').map((each) => `${each.id} (${each.nodes.length})`);
    });

    expect(violations).toEqual([]);
  });

  it.each(PAGES)('fits %s on a phone: no sideways scroll at 390 pixels', async (path) => {
    const page = await open(path, { width: 390 });

    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));

    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  });

  it('downloads everything held about a customer, and erases them only when their id is typed again', async () => {
    const id = CUSTOMERS[2] ?? '';
    const page = await open(`/customers/${id}`);
    const download = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download everything held about this customer (JSON)' }).click(),
    ]).then(([each]) => each);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { customerId: string; profile: { email: string } };
    expect(exported).toMatchObject({ customerId: id, profile: { email: emailOf(id) } });

    await page.getByLabel('Type the customer id to confirm').fill('someone-else');
    await page.getByRole('button', { name: 'Erase this customer' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('did not match');
    await expect((await open(`/customers/${id}`)).locator('[data-field="contact"]').innerText()).resolves.toContain(emailOf(id));

    const again = await open(`/customers/${id}`);
    await again.getByLabel('Type the customer id to confirm').fill(id);
    await again.getByRole('button', { name: 'Erase this customer' }).click();
    await again.waitForURL(`**/customers/${id}`);
    await expect(again.locator('[data-field="erased"]').innerText()).resolves.toContain('Erased at');
    await expect(again.content()).resolves.not.toContain(emailOf(id));
  });
});
