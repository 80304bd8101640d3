import { describe, expect, it } from 'vitest';
import { PRICE_TABLE_DATE, PRICES } from '#bench/prices.ts';
import { renderMarkdown, renderSummary, type BenchResults } from '#bench/results.ts';

const results: BenchResults = {
  generatedAt: '2026-11-22T20:00:00.000Z',
  machine: { node: 'v20.20.2', cpus: 2 },
  costPer1MEventsUsd: 40,
  costPer1MEventsNoEmailUsd: 4,
  floorPer1MEventsNoEmailUsd: 1.93,
  ratioToFloor: 4 / 1.93,
  floorItems: [{ item: 'one PutEvents entry', usd: 1e-6 }],
  journeyCostPerEntryUsd: 0.00002,
  journeyCostPerCustomerMonthUsd: 0.00008,
  journeyCostPerCustomerMonthOtherwise: { wallClockUsd: 0.00011, doubleCallLatencyUsd: 0.000095 },
  journeysPer1MEventsUsd: 3,
  hotPathPer1MEventsUsd: 4,
  journeyEntriesPerCustomerMonth: 4,
  pinpointPerEndpointMonthUsd: 0.0012,
  fixedMonthlyUsd: 7.2,
  writeUnitsPerEvent: 2,
  indexWriteUnitsPerEvent: 0.8,
  allWriteUnitsPerEvent: 4.5,
  emailsPer1MEvents: 300_000,
  eventsPerSecond: 95.5,
  supportReplyP50Seconds: 0.12,
  supportReplyP95Seconds: 0.3,
  bundles: [{ function: 'record-event', bytes: 500 * 1024, zipBytes: 150 * 1024, initMs: 98 }],
  throughput: { events: 2000, seconds: 20.94, eventsPerSecond: 95.5, retryMinutes: 0 },
  supportReplies: { samples: 40, p50Seconds: 0.12, p95Seconds: 0.3 },
  workload: {
    customers: 10,
    days: 5,
    seed: 1,
    events: 100,
    malformed: 1,
    byType: { 'order.placed': 60, 'cart.updated': 39 },
    journeyParticipants: 7,
    emails: 30,
    seconds: 12,
  },
  priceTable: { date: PRICE_TABLE_DATE, region: 'us-east-1', prices: PRICES, pinpointSource: 'archived' },
  costLines: [
    { item: 'SES emails', quantity: 30, unit: 'email', usd: 0.003 },
    { item: 'Lambda requests', quantity: 100, unit: 'request', usd: 0.00002 },
  ],
  functions: [
    {
      function: 'RecordEvent',
      requests: 100,
      gbSeconds: 1.2,
      wallGbSeconds: 9.5,
      codeMs: 800,
      cpuMeasured: true,
      awsCalls: 300,
      writeUnits: 280,
      readUnits: 50,
    },
  ],
  costByArea: [
    { area: 'email', per1MEventsUsd: 30 },
    { area: 'hot path', per1MEventsUsd: 4 },
  ],
  fixedCosts: [{ item: 'KMS customer-managed keys', quantity: 1, usdPerMonth: 1 }],
  monthlyBill: [{ customers: 10_000, usage: 50, storage: 2, archive: 1, xray: 3, fixed: 7.2, total: 63.2, perCustomer: 0.00632 }],
  billInputs: {
    variablePerCustomerMonthUsd: 0.005,
    tracedPerCustomerMonth: 40,
    lastingBytesPerCustomer: 2000,
    expiringBytesPerCustomerMonth: 500,
    timelineRetentionMonths: 24,
    pitr: true,
    archivedBytesPerCustomerMonth: 8000,
    archiveRetentionMonths: 12,
    fixedMonthlyUsd: 7.2,
  },
  journeyDesigns: [
    { design: 'deployed design', measured: 'this run', perEntryUsd: 0.00002, perCustomerMonthUsd: 0.00008 },
    { design: 'earlier design', measured: '2026-11-22', perEntryUsd: 0.0003, perCustomerMonthUsd: 0.0012 },
  ],
  logBytes: { functions: 1000, platform: 500, stepFunctions: 200 },
  benchSeconds: 300,
};

describe('the benchmark results', () => {
  it('prints the headline figures next to what they are compared with', () => {
    const summary = renderSummary(results);
    expect(summary).toMatch(/cost per 1M events \(without email\) +\$4\.00 +2\.07× the floor \(target ≤ 1\.5×\)/);
    expect(summary).toMatch(/write units per event \(hot path\) +2\.00 +target ≤ 2; plus 0\.80 for the stage index/);
    expect(summary).toMatch(/support reply p50 \/ p95 \(local\) +0\.12 s \/ 0\.30 s/);
    expect(summary).toMatch(/record-event +500 KB +150 KB +98 ms/);
  });

  it('says what the journey figure would be with duration priced from the wall clock or slower calls', () => {
    expect(renderSummary(results)).toMatch(
      /the same, duration priced otherwise +\$0\.000110 \/ \$0\.000095 +from this machine's wall clock \/ at 40 ms per awaited call/,
    );
  });

  it('says whether the journey targets are met, in the unit Pinpoint billed', () => {
    const summary = renderSummary(results);
    expect(summary).toMatch(
      /journeys per customer-month \(email aside\) +\$0\.000080 +Pinpoint: \$0\.0012 per endpoint a month; target ≤ \$0\.00006 \(missed\)/,
    );
    expect(summary).toMatch(/journeys per 1M events +\$3\.00 +the hot path: \$4\.00 \(target: journeys below it; met\)/);
  });

  it('publishes the monthly bill next to what Pinpoint charged for the same endpoints', () => {
    const markdown = renderMarkdown(results);
    // Pinpoint: 10,000 endpoints less 5,000 free at $0.0012.
    expect(markdown).toContain('| 10,000 | $50.00 | $3.00 | $3.00 | $7.20 | $63.20 | $0.00632 | $6.00 |');
    expect(markdown).toContain('| earlier design | $0.000300 | $0.001200 | 2026-11-22 |');
    expect(markdown).toContain('| KMS customer-managed keys | 1 | $1.00 |');
  });

  it('shows where the money goes, the largest first, per million events', () => {
    const lines = renderSummary(results).split('\n');
    const ses = lines.findIndex((line) => line.startsWith('SES emails'));
    const lambda = lines.findIndex((line) => line.startsWith('Lambda requests'));
    expect(ses).toBeGreaterThan(0);
    expect(ses).toBeLessThan(lambda);
    // $0.003 over 100 events is $30 per million.
    expect(lines[ses]).toContain('$30.000');
    expect(lines.find((line) => line.startsWith('hot path'))).toMatch(/ ██░+ +\$4\.000$/);
  });

  it('writes the workload, the functions and the dated, sourced price table into the markdown', () => {
    const markdown = renderMarkdown(results);
    expect(markdown).toContain(`## Prices (us-east-1, ${PRICE_TABLE_DATE})`);
    expect(markdown).toContain('https://aws.amazon.com/step-functions/pricing/');
    expect(markdown).toContain('10 customers over 5 virtual days (seed 1): 100 business events, 1 of them malformed');
    expect(markdown).toContain('| `order.placed` | 60 |');
    expect(markdown).toContain('| RecordEvent | 100 | 800 | 300 | 1.2 | 9.5 | 280 | 50 |');
  });
});
