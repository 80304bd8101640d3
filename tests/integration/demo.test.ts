import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '#local/demo/run-demo.ts';
import type { DemoSummary } from '#local/demo/summary.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

let test: TestCloud;
let summary: DemoSummary;

beforeAll(async () => {
  test = await startTestCloud();
  summary = await runDemo(test.cloud, { customers: 40, seed: 3, progress: false });
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
});
