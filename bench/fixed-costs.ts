/**
 * What the stack costs a month before anyone uses it, read from the synthesized template: its KMS
 * keys, secrets, alarms (per metric an alarm watches), dashboards, the custom metrics its metric
 * filters make, and the queue polling of its event source mappings (Lambda long-polls a queue all
 * the time, idle or not). Priced with the dated price table.
 */
import { STAGES } from '#shared/stages/stages.ts';
import { PRICES, type Price } from './prices.ts';
import type { IndexKeys } from './storage.ts';

type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> };
export interface Template {
  readonly Resources: Readonly<Record<string, Resource>>;
}

export interface FixedCostLine {
  readonly item: string;
  readonly quantity: number;
  readonly usdPerMonth: number;
}

/**
 * Lambda's SQS pollers: a mapping keeps (at least) five long polls of 20 seconds open, so an idle
 * queue still costs 5 × 3 receives a minute.
 */
export const IDLE_RECEIVES_PER_MAPPING_MONTH = 5 * 3 * 60 * 24 * 30;

const ofType = (template: Template, type: string) => Object.values(template.Resources).filter((resource) => resource.Type === type);

const line = (item: string, quantity: number, price: Price): FixedCostLine => ({ item, quantity, usdPerMonth: quantity * price.usd });

/** The metrics one alarm is billed for: each metric it reads (metric math counts its inputs). */
function alarmMetrics(alarm: Resource): number {
  const metrics = alarm.Properties?.Metrics as { MetricStat?: unknown }[] | undefined;
  return metrics ? Math.max(1, metrics.filter((metric) => metric.MetricStat).length) : 1;
}

/** How many values the dimensions of the stack's metric filters take, where the template cannot say. */
export interface DimensionValues {
  /** Journey versions live (each logs its participant count: one metric per journey and version). */
  readonly journeyVersions: number;
}

/**
 * The custom metrics the metric filters make: one per metric name and value of its dimensions (a
 * metric two filters write is one metric). Stage changes are counted per stage entered (six); journey
 * participants per journey version live — an older version publishes too while its participants
 * move, in the hours they move.
 */
function filterMetrics(template: Template, values: DimensionValues): number {
  const metrics = new Map<string, number>();
  for (const filter of ofType(template, 'AWS::Logs::MetricFilter')) {
    const transformations =
      (filter.Properties?.MetricTransformations as { MetricNamespace?: unknown; MetricName?: unknown; Dimensions?: { Key: string }[] }[] | undefined) ?? [];
    for (const each of transformations) {
      const keys = (each.Dimensions ?? []).map((dimension) => dimension.Key);
      const count = keys.includes('Stage') ? STAGES.length : keys.includes('Journey') ? values.journeyVersions : 1;
      metrics.set(`${JSON.stringify(each.MetricNamespace)}/${String(each.MetricName)}`, count);
    }
  }
  return [...metrics.values()].reduce((sum, count) => sum + count, 0);
}

export function fixedMonthlyCosts(template: Template, values: DimensionValues): FixedCostLine[] {
  const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping').length;
  return [
    line('KMS customer-managed keys', ofType(template, 'AWS::KMS::Key').length, PRICES.kmsKeyMonth),
    line('Secrets Manager secrets', ofType(template, 'AWS::SecretsManager::Secret').length, PRICES.secretMonth),
    line(
      'CloudWatch alarm metrics',
      ofType(template, 'AWS::CloudWatch::Alarm').reduce((sum, alarm) => sum + alarmMetrics(alarm), 0),
      PRICES.alarmMetricMonth,
    ),
    line('CloudWatch dashboards', ofType(template, 'AWS::CloudWatch::Dashboard').length, PRICES.dashboardMonth),
    line('CloudWatch custom metrics from metric filters', filterMetrics(template, values), PRICES.customMetricMonth),
    line('SQS receives by idle event source mappings', mappings * IDLE_RECEIVES_PER_MAPPING_MONTH, PRICES.sqsRequest),
  ];
}

/** The retention the template's log groups mostly have, in days (30 when none says). */
export function logRetentionDays(template: Template): number {
  const days = ofType(template, 'AWS::Logs::LogGroup')
    .map((group) => Number(group.Properties?.RetentionInDays ?? 0))
    .filter((value) => value > 0);
  if (days.length === 0) return 30;
  const counts = new Map<number, number>();
  for (const value of days) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 30;
}

/** The bus archive's retention in days, or 0 without an archive. */
export function archiveRetentionDays(template: Template): number {
  const [archive] = ofType(template, 'AWS::Events::Archive');
  return archive ? Number(archive.Properties?.RetentionDays ?? 0) || 3650 : 0;
}

/** The table's time-to-live attribute (items that expire) and whether point-in-time recovery is on. */
export function tableSettings(template: Template): { ttlAttribute?: string; pitr: boolean; indexes: IndexKeys[] } {
  const [table] = ofType(template, 'AWS::DynamoDB::Table');
  const props = table?.Properties ?? {};
  const ttl = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  const pitr = (props.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: boolean } | undefined)?.PointInTimeRecoveryEnabled === true;
  type KeySchema = { AttributeName: string; KeyType: string }[];
  const tableKeys = ((props.KeySchema as KeySchema | undefined) ?? []).map((key) => key.AttributeName);
  const indexes = ((props.GlobalSecondaryIndexes as { KeySchema: KeySchema }[] | undefined) ?? []).map((index) => ({
    partitionKey: index.KeySchema.find((key) => key.KeyType === 'HASH')?.AttributeName ?? '',
    keys: [...new Set([...index.KeySchema.map((key) => key.AttributeName), ...tableKeys])],
  }));
  return { ...(ttl?.Enabled && ttl.AttributeName && { ttlAttribute: ttl.AttributeName }), pitr, indexes };
}

/** A value the template's functions get in their environment (the first that sets it). */
export function environmentValue(template: Template, variable: string): string | undefined {
  for (const fn of ofType(template, 'AWS::Lambda::Function')) {
    const value = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[variable];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
