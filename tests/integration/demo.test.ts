import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { runDemo } from '#local/demo/run-demo.ts';
import type { DemoSummary } from '#local/demo/summary.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { runCli } from '#tests/support/run-cli.ts';

let test: TestCloud;
let summary: DemoSummary;

beforeAll(async () => {
  test = await startTestCloud();
  summary = await runDemo(test.cloud, { customers: 40, seed: 3, progress: false, journeys: (await loadDefinitions()).journeys });
});

afterAll(async () => {
  await test.stop();
});

describe('the demo', () => {
  it('accounts for every simulated customer in exactly one stage', () => {
    const total = STAGES.reduce((sum, stage) => sum + summary.customersByStage[stage], 0);
    expect(total).toBe(summary.customers);
    expect(summary.customersByStage.use + summary.customersByStage.retain).toBeGreaterThan(0);
  });

  it('rejects exactly the malformed events and nothing else', () => {
    expect(summary.malformedSent).toBeGreaterThan(0);
    expect(summary.eventsRejected).toBe(summary.malformedSent);
  });

  it('welcomes the leads who consented: sent now, or deferred past their quiet hours', () => {
    expect(summary.emailsSent + summary.emailsDeferred).toBeGreaterThan(0);
    for (const reason of Object.keys(summary.emailsSkipped)) expect(['unsubscribed', 'no-consent', 'suppressed', 'capped', 'no-email', 'render-failed']).toContain(reason);
  });

  it('counts stage changes and reports throughput', () => {
    expect(summary.stageChanges).toBeGreaterThanOrEqual(summary.customers);
    expect(summary.eventsPerSecond).toBeGreaterThan(0);
    expect(summary.sampleCustomerId).toMatch(/^demo-/);
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
    const { emails = [] } = (await (await fetch(`${test.cloud.sesEndpoint}/store`)).json()) as { emails?: { destination: { to: string[] }; subject: string }[] };
    const sent = emails.map((email) => `${email.destination.to.join(',')} ${email.subject}`);
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

  it('writes the HTML report with `lifecycle report --html` on the demo\'s data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-'));
    const file = join(dir, 'report.html');
    try {
      const { stdout, code } = await runCli(test.cloud.endpoint, 'report', '--html', file);
      expect(code).toBe(0);
      expect(stdout).toContain('FUNNEL');
      const html = await readFile(file, 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>/i);
      expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
