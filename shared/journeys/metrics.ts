/**
 * Journey metrics, per journey and version, as counters on one item: runs entered, converted
 * (reached a goal), left (a leave event), completed (reached the end), failed; the same split by
 * holdout and treatment, and by split variant; and messages sent, delivered, opened and clicked per
 * step. Counters are added to only once per fact: callers count after the conditional write that
 * makes the fact (entering, leaving, the first feedback of its kind).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreDeps } from '../profile/store.ts';
import { journeyMetricsKey } from '../profile/table-design.ts';

export type Outcome = 'completed' | 'converted' | 'left' | 'failed' | 'removed';
/** `removed`: an operator took the participant out (lifecycle journey exit). */
export const OUTCOMES: readonly Outcome[] = ['completed', 'converted', 'left', 'failed', 'removed'];
export type MessageCounter = 'sent' | 'delivered' | 'opened' | 'clicked';

export async function addCounters(deps: StoreDeps, journey: string, version: number, counters: readonly string[]): Promise<void> {
  if (counters.length === 0) return;
  const names = Object.fromEntries(counters.map((counter, index) => [`#c${index}`, counter]));
  await deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: journeyMetricsKey(journey, version),
      UpdateExpression: `SET kind = :kind ADD ${counters.map((_, index) => `#c${index} :one`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':kind': 'journey-metrics', ':one': 1 },
    }),
  );
}

/** Counters for a run that ended: the outcome, and the same by holdout or treatment and by variant. */
export function outcomeCounters(outcome: Outcome, holdout: boolean, variant?: string): string[] {
  return [outcome, `${holdout ? 'holdout' : 'treatment'}.${outcome}`, ...(variant ? [`variant.${variant}.${outcome}`] : [])];
}

export function messageCounter(kind: MessageCounter, step: string): string {
  return `${kind}#${step}`;
}

export interface JourneyStats {
  readonly journey: string;
  readonly version: number;
  readonly entered: number;
  readonly active: number;
  readonly completed: number;
  readonly converted: number;
  readonly left: number;
  readonly failed: number;
  readonly holdout: { readonly entered: number; readonly converted: number; readonly rate: number };
  readonly treatment: { readonly entered: number; readonly converted: number; readonly rate: number };
  /** (treatment rate − holdout rate) / holdout rate; undefined without a holdout conversion. */
  readonly lift?: number;
  readonly variants: Readonly<Record<string, { readonly entered: number; readonly converted: number }>>;
  readonly messages: Readonly<Record<string, Readonly<Record<MessageCounter, number>>>>;
}

export function statsFrom(journey: string, version: number, item: Readonly<Record<string, unknown>>): JourneyStats {
  const n = (name: string) => Number(item[name] ?? 0);
  const entered = n('entered');
  const ended = OUTCOMES.reduce((sum, outcome) => sum + n(outcome), 0);
  // Only holdout entries are counted as such: everyone else who entered was treated.
  const group = (name: 'holdout' | 'treatment') => {
    const groupEntered = name === 'holdout' ? n('holdout.entered') : entered - n('holdout.entered');
    const converted = n(`${name}.converted`);
    return { entered: groupEntered, converted, rate: groupEntered > 0 ? converted / groupEntered : 0 };
  };
  const holdout = group('holdout');
  const treatment = group('treatment');
  const variants: Record<string, { entered: number; converted: number }> = {};
  const messages: Record<string, Record<MessageCounter, number>> = {};
  for (const key of Object.keys(item)) {
    const variant = /^variant\.([^.]+)\.entered$/.exec(key)?.[1];
    if (variant) variants[variant] = { entered: n(key), converted: n(`variant.${variant}.converted`) };
    const message = /^(sent|delivered|opened|clicked)#(.+)$/.exec(key);
    if (message) {
      const step = message[2] ?? '';
      messages[step] ??= { sent: 0, delivered: 0, opened: 0, clicked: 0 };
      messages[step][message[1] as MessageCounter] = n(key);
    }
  }
  return {
    journey,
    version,
    entered,
    active: Math.max(0, entered - ended),
    completed: n('completed'),
    converted: n('converted'),
    left: n('left'),
    failed: n('failed'),
    holdout,
    treatment,
    ...(holdout.rate > 0 && { lift: (treatment.rate - holdout.rate) / holdout.rate }),
    variants,
    messages,
  };
}

export async function readStats(deps: StoreDeps, journey: string, version: number): Promise<JourneyStats> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: journeyMetricsKey(journey, version), ConsistentRead: true }));
  return statsFrom(journey, version, Item ?? {});
}
