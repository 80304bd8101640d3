import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { generatePopulation } from '#cli/demo/population.ts';
import { runDemo } from '#cli/demo/run-demo.ts';
import type { DemoSummary } from '#cli/demo/summary.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { runCli } from '#tests/support/run-cli.ts';

const DEMO = { customers: 40, seed: 3, progress: false } as const;
const DEMO_TIMEOUT = 300_000;

let test: TestCloud;
let journeys: readonly JourneyDefinition[];
let summary: DemoSummary;

beforeAll(async () => {
  journeys = (await loadDefinitions()).journeys;
  test = await startTestCloud();
  summary = await runDemo(test.cloud, { ...DEMO, journeys });
}, DEMO_TIMEOUT);

afterAll(async () => {
  await test.stop();
});

/** The message log as it is in the store, counted by outcome: read apart from the report's code. */
async function messageLog(): Promise<{ sent: number; deferred: number; skipped: Record<string, number> }> {
  const log = { sent: 0, deferred: 0, skipped: {} as Record<string, number> };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await test.ddb.send(
      new ScanCommand({
        TableName: test.tableName,
        FilterExpression: 'kind = :message',
        ExpressionAttributeValues: { ':message': 'message' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.status === 'sent') log.sent++;
      if (item.status === 'deferred') log.deferred++;
      if (item.status === 'skipped') log.skipped[String(item.reason)] = (log.skipped[String(item.reason)] ?? 0) + 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return log;
}

/** The summary's figures without what may differ between two runs of a seed: timing, and dates (the ISO week of the demo's days). */
function figures(of: DemoSummary): string {
  const varying = new Set(['seconds', 'eventsPerSecond', 'generatedAt', 'source', 'week', 'weekStart']);
  return JSON.stringify(of, (key, value: unknown) => (varying.has(key) ? undefined : value));
}

describe('the demo', () => {
  it('accounts for every simulated person: a customer in exactly one stage, or an anonymous visitor', () => {
    const { funnel, customers, anonymousVisitors } = summary.report;
    expect(customers + anonymousVisitors).toBe(summary.peopleSimulated);
    expect(funnel.stages.reduce((sum, stage) => sum + stage.now, funnel.support.now)).toBe(customers);
    expect(anonymousVisitors).toBeGreaterThan(0);
    expect(funnel.stages.find((stage) => stage.stage === 'use')?.now).toBeGreaterThan(0);
  });

  it('records every event it sent but the malformed ones, which it rejects', () => {
    expect(summary.malformedSent).toBeGreaterThan(0);
    expect(summary.eventsRejected).toBe(summary.malformedSent);
    expect(summary.report.events.recorded).toBe(summary.eventsSent - summary.eventsRejected);
    expect(summary.report.events.stageChanges).toBeGreaterThanOrEqual(summary.report.customers);
    expect(summary.eventsPerSecond).toBeGreaterThan(0);
    expect(summary.sampleCustomerId).toMatch(/^demo-/);
  });

  it('accounts for every email as the store and the inbox hold them: sent, deferred, or skipped with the reason', async () => {
    const { emails } = summary.report;
    const { emails: inbox = [] } = (await (await fetch(`${test.cloud.sesEndpoint}/store`)).json()) as { emails?: unknown[] };
    expect(emails.sent).toBe(inbox.length);
    expect(await messageLog()).toEqual({ sent: emails.sent, deferred: emails.deferred, skipped: emails.skipped });
    // The history's order confirmations and shipping notices are days old: no longer news, and counted as such.
    expect(emails.skipped['too-old']).toBeGreaterThan(0);
    for (const reason of Object.keys(emails.skipped))
      expect(['unsubscribed', 'no-consent', 'suppressed', 'capped', 'no-email', 'render-failed', 'too-old']).toContain(reason);
  });

  it('runs the journeys for a week: leads welcomed, carts recovered by orders, the at-risk segment won back', () => {
    const stats = Object.fromEntries(summary.journeys.map((journey) => [journey.journey, journey]));
    expect(stats['welcome-series']?.entered).toBeGreaterThan(0);
    expect(stats['welcome-series']?.messages.welcome?.sent).toBeGreaterThan(0);
    // Buyers' carts turn into orders (a conversion); abandoned carts get the reminder.
    expect(stats['cart-recovery']?.converted).toBeGreaterThan(0);
    expect(stats['cart-recovery']?.messages.reminder?.sent).toBeGreaterThan(0);
    expect(stats['win-back']?.entered).toBeGreaterThan(0);
    for (const journey of summary.journeys) expect(journey.failed, `${journey.journey} runs failed`).toBe(0);
  });

  it('never sends anyone the same email twice', async () => {
    const { emails } = (await (await fetch(`${test.cloud.sesEndpoint}/store`)).json()) as { emails?: { destination: { to: string[] }; subject: string }[] };
    const sent = (emails ?? []).map((email) => `${email.destination.to.join(',')} ${email.subject}`);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('exercises every stage and reports the funnel, support automation and satisfaction', () => {
    const { funnel, support, satisfaction } = summary.report;
    for (const stage of funnel.stages) expect(stage.reached, `nobody reached ${stage.stage}`).toBeGreaterThan(0);
    expect(funnel.support.reached).toBeGreaterThan(0);
    expect(support.autoAnswered).toBeGreaterThan(0);
    expect(support.escalated).toBeGreaterThan(0);
    expect(summary.surveysAnswered).toBe(satisfaction.overall.csat.responses);
    expect(satisfaction.overall.nps.responses).toBeGreaterThan(0);
  });

  it('counts each support request once: answered automatically, escalated (open until an agent answers), or too old', () => {
    // What the population asked, and what its help desk resolved (the questions the knowledge base cannot answer).
    const { events } = generatePopulation({ customers: DEMO.customers, seed: DEMO.seed, now: 0 });
    const asked = events.filter((event) => event.detailType === 'support.requested').length;
    const answeredByAgents = events.filter((event) => event.detailType === 'support.resolved').length;
    const { support } = summary.report;
    expect(support.requests).toBe(asked);
    // Every request is answered or escalated: none is dropped.
    expect(support.autoAnswered + support.escalated).toBe(support.requests);
    expect(support.escalated - support.open).toBe(answeredByAgents);
    expect(support.open).toBeGreaterThan(0);
  });

  it("agrees with `lifecycle report` and `lifecycle journey stats` on the demo's data", async () => {
    const report = JSON.parse((await runCli(test.cloud.endpoint, 'report', '--json')).stdout) as DemoSummary['report'];
    // Days in stage count up to the time of reading, which has moved on since the demo's summary.
    const counted = (each: DemoSummary['report']) => ({
      ...each,
      generatedAt: '',
      source: '',
      daysInStage: each.daysInStage.map((row) => ({ ...row, medianDays: 0 })),
    });
    expect(counted(report)).toEqual(counted(summary.report));
    for (const name of ['welcome-series', 'cart-recovery', 'win-back']) {
      const stats = JSON.parse((await runCli(test.cloud.endpoint, 'journey', 'stats', name, '--json')).stdout) as unknown;
      expect(stats).toEqual(summary.journeys.find((journey) => journey.journey === name));
    }
    const converted = summary.journeys.reduce((sum, journey) => sum + journey.converted, 0);
    expect(summary.report.journeys.totals.converted).toBe(converted);
  });

  it("writes the HTML report with `lifecycle report --html` on the demo's data", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-'));
    const file = join(dir, 'report.html');
    try {
      const { stdout, code } = await runCli(test.cloud.endpoint, 'report', '--html', file);
      expect(code).toBe(0);
      expect(stdout).toContain('FUNNEL');
      expect(stdout).toContain(`customers  ${summary.report.customers} (and ${summary.report.anonymousVisitors} anonymous visitors)`);
      const html = await readFile(file, 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>/i);
      expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Last: the inbox of aws-ses-v2-local is one per process, so it is emptied for the second run.
  it(
    'gives the same figures when run again with the same seed',
    async () => {
      await fetch(`${test.cloud.sesEndpoint}/clear-store`, { method: 'POST' });
      const again = await startTestCloud();
      try {
        const second = await runDemo(again.cloud, { ...DEMO, journeys });
        expect(figures(second)).toBe(figures(summary));
      } finally {
        await again.stop();
      }
    },
    DEMO_TIMEOUT,
  );
});
