/**
 * Journey metrics, per journey and version, as counters on one item: runs entered, converted
 * (reached a goal), left (a leave event), completed (reached the end), failed; the same split by
 * holdout and treatment, and by split variant; customers not entered, by reason; and messages per
 * step: sent, delivered, opened, clicked, deferred past quiet hours, and skipped by reason
 * (`skipped.no-consent#welcome`); and how many runs reached each step (`entered#offer`). Counters are added to only once per fact: callers count after
 * the conditional write that makes the fact (entering, leaving, the log entry of a skip, the first
 * feedback of its kind).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SkipReason } from '../events/types/system.ts';
import type { StoreDeps } from '../profile/store.ts';
import { journeyMetricsKey } from '../profile/table-design.ts';

export type Outcome = 'completed' | 'converted' | 'left' | 'failed' | 'removed' | 'suppressed' | 'erased';
/**
 * `removed`: an operator took the participant out (lifecycle journey exit); `suppressed`: the
 * customer's address was; `erased`: the customer asked to be forgotten.
 */
export const OUTCOMES: readonly Outcome[] = ['completed', 'converted', 'left', 'failed', 'removed', 'suppressed', 'erased'];
export type MessageCounter = 'sent' | 'delivered' | 'opened' | 'clicked' | 'deferred' | `skipped.${SkipReason}`;

/** A step's messages: each email the step asked for was sent, deferred (and later sent or skipped), or skipped for a reason. */
export interface StepMessages {
  readonly sent: number;
  readonly delivered: number;
  readonly opened: number;
  readonly clicked: number;
  readonly deferred: number;
  /** By reason: no-consent, unsubscribed, capped, … */
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
}

/** The log line that carries a journey version's participant count; the dashboard's metric filter reads it. */
export const PARTICIPANTS_LOG_MESSAGE = 'journey participants';

/** How many participants a journey version has now: entered and not yet ended. */
export interface ParticipantsNow {
  readonly journey: string;
  readonly version: number;
  readonly participants: number;
}

/** The store, and who is told the participant count when entering or ending changes it (the dashboard's gauge). */
export interface MetricsDeps extends StoreDeps {
  readonly onParticipants?: (now: ParticipantsNow) => void;
}

const changesParticipants = (counter: string) => counter === 'entered' || (OUTCOMES as readonly string[]).includes(counter);

/** Adds one to each counter; when entering or ending is counted, tells `onParticipants` the count it leaves (from the same write). */
export async function addCounters(deps: MetricsDeps, journey: string, version: number, counters: readonly string[]): Promise<void> {
  if (counters.length === 0) return;
  const names = Object.fromEntries(counters.map((counter, index) => [`#c${index}`, counter]));
  const observed = deps.onParticipants !== undefined && counters.some(changesParticipants);
  const { Attributes } = await deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: journeyMetricsKey(journey, version),
      UpdateExpression: `SET kind = :kind ADD ${counters.map((_, index) => `#c${index} :one`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':kind': 'journey-metrics', ':one': 1 },
      // The counts come back with the write, at no extra read.
      ...(observed && { ReturnValues: 'ALL_NEW' }),
    }),
  );
  if (observed && Attributes) deps.onParticipants?.({ journey, version, participants: participantsIn(Attributes) });
}

/** Entered and not yet ended, by the counters on a journey's metrics item. */
function participantsIn(item: Readonly<Record<string, unknown>>): number {
  const n = (name: string) => Number(item[name] ?? 0);
  return Math.max(0, n('entered') - OUTCOMES.reduce((sum, outcome) => sum + n(outcome), 0));
}

/** Counters for a run that ended: the outcome, and the same by holdout or treatment and by variant. */
export function outcomeCounters(outcome: Outcome, holdout: boolean, variant?: string): string[] {
  return [outcome, `${holdout ? 'holdout' : 'treatment'}.${outcome}`, ...(variant ? [`variant.${variant}.${outcome}`] : [])];
}

export function messageCounter(kind: MessageCounter, step: string): string {
  return `${kind}#${step}`;
}

/** The counter of runs that reached a step (any kind of step). */
export function stepCounter(step: string): string {
  return `entered#${step}`;
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
  /** Whether the journey holds runs out (a holdout step): without one, holdout and lift mean nothing. */
  readonly measuresLift: boolean;
  readonly holdout: { readonly entered: number; readonly converted: number; readonly rate: number };
  readonly treatment: { readonly entered: number; readonly converted: number; readonly rate: number };
  /** (treatment rate − holdout rate) / holdout rate; undefined without a holdout conversion. */
  readonly lift?: number;
  readonly variants: Readonly<Record<string, { readonly entered: number; readonly converted: number }>>;
  /** Customers the journey was offered to and did not take in, by reason (profile-filter, already-active, …). */
  readonly notEntered: Readonly<Record<string, number>>;
  readonly messages: Readonly<Record<string, StepMessages>>;
  /** Runs that reached each step, by step id. */
  readonly reached: Readonly<Record<string, number>>;
}

const STEP_COUNTER = /^(sent|delivered|opened|clicked|deferred|skipped\.([a-z-]+))#(.+)$/;

/** @param measuresLift - whether the journey has a holdout step (@default true) */
export function statsFrom(journey: string, version: number, item: Readonly<Record<string, unknown>>, measuresLift = true): JourneyStats {
  const n = (name: string) => Number(item[name] ?? 0);
  const entered = n('entered');
  // Only holdout entries are counted as such: everyone else who entered was treated.
  const group = (name: 'holdout' | 'treatment') => {
    const groupEntered = name === 'holdout' ? n('holdout.entered') : entered - n('holdout.entered');
    const converted = n(`${name}.converted`);
    return { entered: groupEntered, converted, rate: groupEntered > 0 ? converted / groupEntered : 0 };
  };
  const holdout = group('holdout');
  const treatment = group('treatment');
  const variants: Record<string, { entered: number; converted: number }> = {};
  const notEntered: Record<string, number> = {};
  const reached: Record<string, number> = {};
  const messages: Record<
    string,
    { sent: number; delivered: number; opened: number; clicked: number; deferred: number; skipped: Partial<Record<SkipReason, number>> }
  > = {};
  for (const key of Object.keys(item)) {
    const variant = /^variant\.([^.]+)\.entered$/.exec(key)?.[1];
    if (variant) variants[variant] = { entered: n(key), converted: n(`variant.${variant}.converted`) };
    const refusal = /^notEntered\.(.+)$/.exec(key)?.[1];
    if (refusal) notEntered[refusal] = n(key);
    const step = /^entered#(.+)$/.exec(key)?.[1];
    if (step) reached[step] = n(key);
    const [, counter = '', reason, sendStep = ''] = STEP_COUNTER.exec(key) ?? [];
    if (!counter) continue;
    const counts = (messages[sendStep] ??= { sent: 0, delivered: 0, opened: 0, clicked: 0, deferred: 0, skipped: {} });
    if (reason) counts.skipped[reason as SkipReason] = n(key);
    else counts[counter as Exclude<keyof StepMessages, 'skipped'>] = n(key);
  }
  return {
    journey,
    version,
    entered,
    active: participantsIn(item),
    completed: n('completed'),
    converted: n('converted'),
    left: n('left'),
    failed: n('failed'),
    measuresLift,
    holdout,
    treatment,
    ...(holdout.rate > 0 && { lift: (treatment.rate - holdout.rate) / holdout.rate }),
    variants,
    notEntered,
    messages,
    reached,
  };
}

/** @param measuresLift - whether the journey has a holdout step (@default true) */
export async function readStats(deps: StoreDeps, journey: string, version: number, measuresLift = true): Promise<JourneyStats> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: journeyMetricsKey(journey, version), ConsistentRead: true }));
  return statsFrom(journey, version, Item ?? {}, measuresLift);
}
