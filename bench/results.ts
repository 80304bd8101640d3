/**
 * The benchmark's results: what bench/results/latest.json holds, the summary table printed at the
 * end of a run, and the markdown page (with bars for where the money goes) written beside it.
 */
import { textBar } from '#shared/reporting/text-bar.ts';
import { textTable } from '#shared/reporting/text-table.ts';
import type { CostLine, FunctionUsage } from './cost-model.ts';
import { AWS_CALL_MS } from './lambda-duration.ts';
import type { CostFigures, CostMeasurement } from './measure-cost.ts';
import type { ReplyTimes, Throughput } from './responsiveness.ts';

export interface BenchResults extends CostFigures {
  readonly generatedAt: string;
  readonly machine: { readonly node: string; readonly cpus: number };
  readonly eventsPerSecond: number;
  readonly supportReplyP50Seconds: number;
  readonly supportReplyP95Seconds: number;
  readonly bundles: readonly { readonly function: string; readonly bytes: number; readonly zipBytes: number; readonly initMs: number }[];
  readonly throughput: Throughput;
  readonly supportReplies: ReplyTimes;
  readonly workload: CostMeasurement['workload'];
  readonly priceTable: CostMeasurement['priceTable'];
  readonly costLines: readonly CostLine[];
  readonly functions: readonly FunctionUsage[];
  readonly costByArea: CostMeasurement['areas'];
  readonly fixedCosts: CostMeasurement['fixedCosts'];
  readonly monthlyBill: CostMeasurement['monthlyBill'];
  readonly billInputs: CostMeasurement['billInputs'];
  readonly journeyDesigns: CostMeasurement['journeyDesigns'];
  readonly logBytes: CostMeasurement['logBytes'];
  readonly benchSeconds: number;
}

const usd = (value: number, digits = 2) => `$${value.toFixed(digits)}`;

/** The design's target for journeys: a twentieth of Pinpoint's price per endpoint a month. */
export const JOURNEY_TARGET_USD = 0.00006;

const missedOrMet = (met: boolean) => (met ? 'met' : 'missed');

/** The monthly bill at each published customer count. */
export function billRows(results: Pick<BenchResults, 'monthlyBill' | 'pinpointPerEndpointMonthUsd'>): string[][] {
  return results.monthlyBill.map((bill) => [
    bill.customers.toLocaleString('en-US'),
    usd(bill.usage),
    usd(bill.storage + bill.archive),
    usd(bill.xray),
    usd(bill.fixed),
    usd(bill.total),
    usd(bill.perCustomer, 5),
    usd(Math.max(0, bill.customers - 5000) * results.pinpointPerEndpointMonthUsd),
  ]);
}

export const BILL_HEADERS = ['customers', 'usage', 'table and archive', 'X-Ray', 'fixed', 'a month', 'per customer', 'Pinpoint journeys alone'] as const;

/** Journey cost under each design the bench compares. */
export function designRows(results: Pick<BenchResults, 'journeyDesigns'>): string[][] {
  return results.journeyDesigns.map((each) => [each.design, usd(each.perEntryUsd, 6), usd(each.perCustomerMonthUsd, 6), each.measured]);
}

export const DESIGN_HEADERS = ['journey design', 'per entry', 'per customer-month', 'measured'] as const;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function headlineRows(results: BenchResults): string[][] {
  return [
    ['cost per 1M events (with email)', usd(results.costPer1MEventsUsd), ''],
    ['cost per 1M events (without email)', usd(results.costPer1MEventsNoEmailUsd), `${results.ratioToFloor.toFixed(2)}× the floor (target ≤ 1.5×)`],
    ['floor per 1M events (without email)', usd(results.floorPer1MEventsNoEmailUsd), results.floorItems.map((each) => each.item).join(', ')],
    [
      'journeys per customer-month (email aside)',
      usd(results.journeyCostPerCustomerMonthUsd, 6),
      `Pinpoint: ${usd(results.pinpointPerEndpointMonthUsd, 4)} per endpoint a month; target ≤ $0.00006 (${missedOrMet(results.journeyCostPerCustomerMonthUsd <= JOURNEY_TARGET_USD)})`,
    ],
    [
      'the same, duration priced otherwise',
      `${usd(results.journeyCostPerCustomerMonthOtherwise.wallClockUsd, 6)} / ${usd(results.journeyCostPerCustomerMonthOtherwise.doubleCallLatencyUsd, 6)}`,
      `from this machine's wall clock / at ${2 * AWS_CALL_MS} ms per awaited call (the model takes CPU time and ${AWS_CALL_MS} ms)`,
    ],
    ['journeys per entry', usd(results.journeyCostPerEntryUsd, 6), `${results.journeyEntriesPerCustomerMonth.toFixed(1)} entries per customer-month`],
    [
      'journeys per 1M events',
      usd(results.journeysPer1MEventsUsd),
      `the hot path: ${usd(results.hotPathPer1MEventsUsd)} (target: journeys below it; ${missedOrMet(results.journeysPer1MEventsUsd < results.hotPathPer1MEventsUsd)})`,
    ],
    ['fixed monthly cost', usd(results.fixedMonthlyUsd), 'keys, secrets, alarms, dashboard, metrics, idle queue polling'],
    [
      'write units per event (hot path)',
      results.writeUnitsPerEvent.toFixed(2),
      `target ≤ 2; plus ${results.indexWriteUnitsPerEvent.toFixed(2)} for the stage index`,
    ],
    ['write units per event (all)', results.allWriteUnitsPerEvent.toFixed(2), 'outreach, journeys, scores, recommendations, feedback'],
    [
      'events per second (end to end, local)',
      results.eventsPerSecond.toFixed(1),
      `${results.throughput.events} events in ${results.throughput.seconds.toFixed(1)} s${results.throughput.retryMinutes > 0 ? `; calls timed out and were retried (${results.throughput.retryMinutes} virtual minutes)` : ''}`,
    ],
    [
      'support reply p50 / p95 (local)',
      `${results.supportReplyP50Seconds.toFixed(2)} s / ${results.supportReplyP95Seconds.toFixed(2)} s`,
      `${results.supportReplies.samples} requests`,
    ],
  ];
}

export function bundleRows(results: BenchResults): string[][] {
  return results.bundles.map((bundle) => [bundle.function, kb(bundle.bytes), kb(bundle.zipBytes), `${bundle.initMs.toFixed(0)} ms`]);
}

function costRows(results: BenchResults): string[][] {
  const total = results.costLines.reduce((sum, line) => sum + line.usd, 0);
  const perMillion = (value: number) => usd((value / results.workload.events) * 1e6, 3);
  return [...results.costLines]
    .sort((a, b) => b.usd - a.usd)
    .map((line) => [line.item, textBar(total === 0 ? 0 : line.usd / total, 20), perMillion(line.usd), formatQuantity(line.quantity)]);
}

function areaRows(results: BenchResults): string[][] {
  const total = results.costByArea.reduce((sum, each) => sum + each.per1MEventsUsd, 0);
  return results.costByArea.map((each) => [each.area, textBar(total === 0 ? 0 : each.per1MEventsUsd / total, 20), usd(each.per1MEventsUsd, 3)]);
}

function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? quantity.toLocaleString('en-US') : quantity.toFixed(3);
}

/** The table a run prints. */
export function renderSummary(results: BenchResults): string {
  return [
    ...textTable(['measure', 'value', 'compared with'], headlineRows(results)),
    '',
    'Where the money goes (per 1M events), by part of the system',
    ...textTable(['part', '', 'per 1M events'], areaRows(results), ['left', 'left', 'right']),
    '',
    'and by billable item',
    ...textTable(['item', '', 'per 1M events', 'quantity in the run'], costRows(results), ['left', 'left', 'right', 'right']),
    '',
    'Journeys under two designs',
    ...textTable([...DESIGN_HEADERS], designRows(results), ['left', 'right', 'right', 'left']),
    '',
    "The monthly bill with the standard workload's mix",
    ...textTable([...BILL_HEADERS], billRows(results), ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']),
    '',
    'Lambda bundles',
    ...textTable(['function', 'size', 'zip', 'init (median)'], bundleRows(results), ['left', 'right', 'right', 'right']),
  ].join('\n');
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/** bench/results/latest.md: the same figures with the workload and the price table they come from. */
export function renderMarkdown(results: BenchResults): string {
  const { workload, priceTable } = results;
  return [
    '# Benchmark results',
    '',
    `Generated ${results.generatedAt} by \`npm run bench\` on Node ${results.machine.node}, ${results.machine.cpus} cores, in ${Math.round(results.benchSeconds)} s.`,
    '',
    ...markdownTable(['measure', 'value', 'compared with'], headlineRows(results)),
    '',
    '## Where the money goes',
    '',
    '```',
    ...textTable(['part', '', 'per 1M events'], areaRows(results), ['left', 'left', 'right']),
    '',
    ...textTable(['item', '', 'per 1M events', 'quantity in the run'], costRows(results), ['left', 'left', 'right', 'right']),
    '```',
    '',
    '## Journeys under two designs',
    '',
    ...markdownTable([...DESIGN_HEADERS], designRows(results)),
    '',
    '## The monthly bill',
    '',
    `With the standard workload's mix per customer; the table at its steady size (timeline kept ${Math.round(results.billInputs.timelineRetentionMonths)} months, point-in-time recovery ${results.billInputs.pitr ? 'on' : 'off'}), events archived ${Math.round(results.billInputs.archiveRetentionMonths)} months, X-Ray's reservoir of one trace a second; no free tier counted. Pinpoint's column is its journeys' endpoint charge alone (first 5,000 free), before its own events and email.`,
    '',
    ...markdownTable([...BILL_HEADERS], billRows(results)),
    '',
    '### Fixed monthly costs',
    '',
    ...markdownTable(
      ['item', 'quantity', 'a month'],
      results.fixedCosts.map((each) => [each.item, formatQuantity(each.quantity), usd(each.usdPerMonth)]),
    ),
    '',
    '## The workload',
    '',
    `${workload.customers} customers over ${workload.days} virtual days (seed ${workload.seed}): ${workload.events} business events, ${workload.malformed} of them malformed; ${workload.journeyParticipants} journey entries; ${workload.emails} emails. It ran in ${Math.round(workload.seconds)} s.`,
    '',
    ...markdownTable(
      ['detail-type', 'events'],
      Object.entries(workload.byType)
        .sort((a, b) => b[1] - a[1])
        .map(([type, count]) => [`\`${type}\``, String(count)]),
    ),
    '',
    '## Functions in the run',
    '',
    `Duration is priced from the CPU time each function's code used (stretched to the vCPU share its memory gets in Lambda) and the AWS calls it awaited at ${AWS_CALL_MS} ms each (bench/lambda-duration.ts); the wall clock here, where invocations share a worker and two cores, is shown beside it and not priced.${results.functions.every((each) => each.cpuMeasured) ? '' : " This machine does not count CPU per thread: code time here is the workers' busy time, which also counts waiting for a core."}`,
    '',
    ...markdownTable(
      ['function', 'requests', 'code (CPU ms)', 'AWS calls', 'GB-s priced', 'GB-s wall clock', 'write units', 'read units'],
      results.functions.map((each) => [
        each.function,
        String(each.requests),
        formatQuantity(each.codeMs),
        formatQuantity(each.awsCalls),
        each.gbSeconds.toFixed(1),
        each.wallGbSeconds.toFixed(1),
        formatQuantity(each.writeUnits),
        formatQuantity(each.readUnits),
      ]),
    ),
    '',
    '## Lambda bundles',
    '',
    ...markdownTable(['function', 'size', 'zip', 'init (median of fresh loads)'], bundleRows(results)),
    '',
    `## Prices (${priceTable.region}, ${priceTable.date})`,
    '',
    ...markdownTable(
      ['one', 'USD', 'source'],
      Object.values(priceTable.prices).map((price) => [price.per, String(price.usd), price.source]),
    ),
    '',
    `Pinpoint for comparison: $${results.pinpointPerEndpointMonthUsd} per monthly targeted endpoint (${priceTable.pinpointSource}).`,
    '',
  ].join('\n');
}
