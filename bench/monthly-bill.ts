/**
 * The monthly bill at a number of customers, with the standard workload's mix: what the workload
 * cost per customer-month, the table and the archive at their steady size (the timeline kept for
 * its retention, events archived for theirs), X-Ray with its reservoir, and the fixed monthly
 * costs. No free tier is counted.
 */
import { XRAY_RESERVOIR_PER_SECOND, XRAY_SAMPLING_RATE } from './cost-model.ts';
import { PRICES } from './prices.ts';

const GB = 1024 ** 3;
const SECONDS_PER_MONTH = 30 * 24 * 3600;

export interface BillInputs {
  /** Everything the workload used per customer-month but X-Ray, in USD. */
  readonly variablePerCustomerMonthUsd: number;
  /** Requests and executions X-Ray may trace, per customer-month. */
  readonly tracedPerCustomerMonth: number;
  /** Table bytes per customer that do not expire, and timeline bytes per customer-month. */
  readonly lastingBytesPerCustomer: number;
  readonly expiringBytesPerCustomerMonth: number;
  readonly timelineRetentionMonths: number;
  readonly pitr: boolean;
  /** Event bytes archived per customer-month, and how many months the archive keeps them. */
  readonly archivedBytesPerCustomerMonth: number;
  readonly archiveRetentionMonths: number;
  readonly fixedMonthlyUsd: number;
}

export interface MonthlyBill {
  readonly customers: number;
  readonly usage: number;
  readonly storage: number;
  readonly archive: number;
  readonly xray: number;
  readonly fixed: number;
  readonly total: number;
  readonly perCustomer: number;
}

/** X-Ray records the first request each second and 5 % of the rest. */
export function xrayTracesPerMonth(traced: number): number {
  const reservoir = Math.min(traced, XRAY_RESERVOIR_PER_SECOND * SECONDS_PER_MONTH);
  return reservoir + (traced - reservoir) * XRAY_SAMPLING_RATE;
}

export function monthlyBill(inputs: BillInputs, customers: number): MonthlyBill {
  const tableGb = (customers * (inputs.lastingBytesPerCustomer + inputs.expiringBytesPerCustomerMonth * inputs.timelineRetentionMonths)) / GB;
  const storage = tableGb * (PRICES.dynamoStorageGbMonth.usd + (inputs.pitr ? PRICES.dynamoPitrGbMonth.usd : 0));
  const archivedGb = (customers * inputs.archivedBytesPerCustomerMonth) / GB;
  const archive = archivedGb * (PRICES.archiveGbProcessed.usd + PRICES.archiveGbMonth.usd * inputs.archiveRetentionMonths);
  const xray = xrayTracesPerMonth(customers * inputs.tracedPerCustomerMonth) * PRICES.xrayTrace.usd;
  const usage = customers * inputs.variablePerCustomerMonthUsd;
  const total = usage + storage + archive + xray + inputs.fixedMonthlyUsd;
  return { customers, usage, storage, archive, xray, fixed: inputs.fixedMonthlyUsd, total, perCustomer: total / customers };
}
