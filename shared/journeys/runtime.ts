/**
 * The journey runtime: what the engine (engine.ts) does at a journey's steps — entering a customer
 * (entry rules, the trigger's profile filter), checking goal and leave events, looking for a
 * waited-for event, working out when a wait ends, evaluating a branch, assigning a split variant
 * or the holdout, updating the profile, and finishing the run. Each action is idempotent for a run.
 */
import { createHash } from 'node:crypto';
import { evaluate, type Condition } from '../conditions/condition.ts';
import type { CatalogEvent } from '../events/catalog.ts';
import { DetailTypes, LIFECYCLE_SOURCE } from '../events/catalog.ts';
import { checkOccurredAt, parseEvent } from '../events/parse.ts';
import { applyEvent } from '../profile/apply-event.ts';
import { customerRefFor } from '../profile/customer-ref.ts';
import { eventMark, hasMark } from '../profile/identity.ts';
import { erasedAfter, type Profile } from '../profile/profile.ts';
import { recordEvent } from '../profile/record-event.ts';
import { resolveCustomer } from '../profile/resolve-customer.ts';
import { readCurrentProfile, readTimeline, type StoreDeps } from '../profile/store.ts';
import type { TimelineEntry } from '../profile/timeline.ts';
import { durationSeconds, type WaitSpec } from './definition.ts';
import { enter, leave, type Reentry } from './membership.ts';
import { addCounters, outcomeCounters, type MetricsDeps, type Outcome } from './metrics.ts';
import { bucket, chooseVariant, type Run } from './run.ts';

export interface RuntimeDeps extends MetricsDeps {
  readonly clock: () => Date;
  readonly consentMode: 'opt-in' | 'opt-out';
  readonly defaultTimezone: string;
  readonly timelineRetentionDays: number;
}

export interface JourneyRef {
  readonly name: string;
  readonly version: number;
  readonly reentry: Reentry;
  /** The trigger's profile filter. */
  readonly profile?: Condition;
  /** Whether a step acts (sends, updates, branches…) before the first wait: the trigger is then recorded before it. */
  readonly actsAtOnce?: boolean;
}

/**
 * `counters`: what the entry leaves to count (`entered`, unless the run entered before), with the
 * first move's counters in one update rather than one of its own.
 */
export type Entry = { readonly entered: true; readonly run: Run; readonly counters: readonly string[] } | { readonly entered: false; readonly reason: string };

/** The profile as it is once the trigger is recorded (the stage workflow may not have got to it yet). */
function withTrigger(profile: Profile | undefined, customerId: string, event: CatalogEvent, now: Date): Profile {
  // A tombstone stays one: the entry refuses the customer (see enterJourney).
  if ((profile && hasMark(profile.recentEvents, eventMark(event.detail.eventId))) || erasedAfter(profile, event.detail.occurredAt)) return profile as Profile;
  return applyEvent(profile, customerId, event, now.toISOString()).profile;
}

export interface Triggered {
  /** The trigger, as the catalog parsed it. */
  readonly event: CatalogEvent;
  /** The customer's profile as it is once the trigger is recorded. */
  readonly profile: Profile;
  readonly trigger: NonNullable<Run['trigger']>;
  readonly occurredAt: string;
}

/**
 * The customer an event triggers a journey for, and their profile with the event applied;
 * undefined when the event breaks the contract or its time (the stage workflow rejects it too).
 */
export async function triggeredBy(deps: StoreDeps, input: unknown, now: Date): Promise<Triggered | undefined> {
  const raw = (input ?? {}) as { 'detail-type'?: unknown; source?: unknown; detail?: unknown };
  const parsed = parseEvent({ detailType: raw['detail-type'], source: raw.source, detail: raw.detail });
  if (!parsed.ok || checkOccurredAt(parsed.event.detail.occurredAt, now)) return undefined;
  const event = parsed.event;
  const { customerId } = await resolveCustomer(deps, event.detail.customer);
  return {
    event,
    profile: withTrigger(await readCurrentProfile(deps, customerId), customerId, event, now),
    trigger: { detailType: event.detailType, eventId: event.detail.eventId, data: event.detail.data },
    occurredAt: new Date(event.detail.occurredAt).toISOString(),
  };
}

export function passesProfileFilter(
  deps: { consentMode: RuntimeDeps['consentMode'] },
  journey: Pick<JourneyRef, 'profile'>,
  profile: Profile,
  now: Date,
): boolean {
  return !journey.profile || evaluate(journey.profile, { profile, now: now.getTime(), consentMode: deps.consentMode });
}

/**
 * What enters a customer: a launch (a segment or list member), or a trigger event the gate has
 * resolved to the customer and their profile.
 */
export type EntryInput = { readonly launch: { readonly launchId: string; readonly customerId: string } } | { readonly triggered: Triggered };

/**
 * Enters a customer into a journey: by the event that triggered it, or by a launch. Runs that may
 * not enter end at once; the reason is counted. The entry itself is counted by the caller (`counters`).
 */
export async function enterJourney(deps: RuntimeDeps, journey: JourneyRef, runId: string, input: EntryInput): Promise<Entry> {
  const now = deps.clock();
  let profile: Profile | undefined;
  let trigger: Run['trigger'];
  let enteredAt = now.toISOString();

  if ('launch' in input) {
    profile = await readCurrentProfile(deps, input.launch.customerId);
    if (!profile) return notEntered(deps, journey, 'no-profile');
    if (profile.erasure) return notEntered(deps, journey, 'erased');
  } else {
    if (erasedAfter(input.triggered.profile, input.triggered.occurredAt)) return notEntered(deps, journey, 'erased');
    // The stage workflow records the trigger too, in parallel, and nothing orders the two: a first
    // step that acts at once (the welcome series sends) could find neither the email nor the
    // consent the trigger brings, and skip for good. Recording is idempotent — whichever gets there
    // first applies the event — so such a run never reads a profile without its own trigger. A
    // journey that waits first needs no such care: by its first action the trigger is recorded.
    if (journey.actsAtOnce) await recordEvent({ ...deps, clock: deps.clock }, input.triggered.event);
    ({ profile, trigger } = input.triggered);
    enteredAt = input.triggered.occurredAt;
  }
  const { customerId } = profile;

  if (!passesProfileFilter(deps, journey, profile, now)) return notEntered(deps, journey, 'profile-filter');
  const refusal = await enter(deps, customerId, journey.name, journey.version, runId, journey.reentry, now, trigger?.eventId);
  if (refusal && refusal !== 'entered-before') return notEntered(deps, journey, refusal);
  return {
    entered: true,
    counters: refusal === 'entered-before' ? [] : ['entered'],
    run: {
      journey: journey.name,
      version: journey.version,
      runId,
      customerId,
      enteredAt,
      holdout: false,
      ...(trigger && { trigger }),
      ...('launch' in input && { launchId: input.launch.launchId }),
    },
  };
}

export async function notEntered(deps: StoreDeps, journey: Pick<JourneyRef, 'name' | 'version'>, reason: string): Promise<Entry> {
  await addCounters(deps, journey.name, journey.version, [`notEntered.${reason}`]);
  return { entered: false, reason };
}

/** Events of the run's customer since the run began, the trigger itself left out. */
async function eventsSinceEntry(deps: RuntimeDeps, run: Run): Promise<TimelineEntry[]> {
  const entries = await readTimeline(deps, run.customerId, { since: run.enteredAt });
  return entries.filter((entry) => entry.eventId !== run.trigger?.eventId);
}

export type ExitCheck = { readonly outcome: 'continue' } | { readonly outcome: 'converted' | 'left'; readonly event: string };

/** Checked after every wait: a goal event ends the run as converted, a leave event as left. */
export async function checkExit(deps: RuntimeDeps, run: Run, exit: ExitRules): Promise<ExitCheck> {
  if (exit.goals.length === 0 && exit.leave.length === 0) return { outcome: 'continue' };
  return exitBy(await eventsSinceEntry(deps, run), exit);
}

type ExitRules = { goals: readonly string[]; leave: readonly string[] };

/** A goal event among those since entry converts the run; else a leave event ends it. */
function exitBy(events: readonly TimelineEntry[], exit: ExitRules): ExitCheck {
  const goal = events.find((entry) => exit.goals.includes(entry.detailType));
  if (goal) return { outcome: 'converted', event: goal.detailType };
  const left = events.find((entry) => exit.leave.includes(entry.detailType));
  if (left) return { outcome: 'left', event: left.detailType };
  return { outcome: 'continue' };
}

/** Whether the customer's event of a detail-type was recorded since a time (the run's trigger aside). */
export async function eventCameSince(deps: RuntimeDeps, run: Run, detailType: string, since: string): Promise<boolean> {
  const events = await eventsSinceEntry(deps, run);
  return events.some((entry) => entry.detailType === detailType && Date.parse(entry.occurredAt) >= Date.parse(since));
}

function zonedMinuteOfDay(time: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(time));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

/** When a `wait` that is not a plain duration ends, as an ISO timestamp. */
export async function waitEnds(deps: RuntimeDeps, run: Run, spec: WaitSpec): Promise<{ at: string }> {
  const now = deps.clock().getTime();
  // A duration needs nothing of the profile: no read for the commonest wait.
  if ('for' in spec) return { at: new Date(now + durationSeconds(spec.for) * 1000).toISOString() };
  const profile = await readCurrentProfile(deps, run.customerId);
  if ('until' in spec) {
    const [hours = 0, minutes = 0] = spec.until.split(':').map(Number);
    const target = hours * 60 + minutes;
    const timeZone = profile?.timezone ?? deps.defaultTimezone;
    // Walk forward minute by minute (at most a day) to the next time the clock on the wall shows it.
    const start = Math.floor(now / 60_000) * 60_000 + 60_000;
    for (let step = 0; step <= 1440; step++) {
      const candidate = start + step * 60_000;
      if (zonedMinuteOfDay(candidate, timeZone) === target) return { at: new Date(candidate).toISOString() };
    }
    return { at: new Date(now + 86_400_000).toISOString() };
  }
  const value = profile?.attributes[spec.untilAttribute];
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN;
  if (Number.isNaN(date)) return { at: new Date(now + durationSeconds(spec.otherwise ?? '1d') * 1000).toISOString() };
  const offset = spec.offset ? (spec.offset.startsWith('-') ? -1 : 1) * durationSeconds(spec.offset.slice(1)) * 1000 : 0;
  return { at: new Date(Math.max(now, date + offset)).toISOString() };
}

export async function evaluateBranch(deps: RuntimeDeps, run: Run, condition: Condition): Promise<{ result: boolean }> {
  const profile = await readCurrentProfile(deps, run.customerId);
  if (!profile) return { result: false };
  const events = await eventsSinceEntry(deps, run);
  return { result: evaluate(condition, { profile, now: deps.clock().getTime(), consentMode: deps.consentMode, eventsSinceEntry: events }) };
}

export async function assignVariant(
  deps: RuntimeDeps,
  run: Run,
  stepId: string,
  variants: readonly { name: string; percent: number }[],
): Promise<{ variant: string }> {
  const variant = chooseVariant(run.runId, stepId, variants);
  await addCounters(deps, run.journey, run.version, [`variant.${variant}.entered`]);
  return { variant };
}

export async function assignHoldout(deps: RuntimeDeps, run: Run, stepId: string, percent: number): Promise<{ holdout: boolean }> {
  const holdout = bucket(run.runId, stepId) < percent;
  if (holdout) await addCounters(deps, run.journey, run.version, ['holdout.entered']);
  return { holdout };
}

/** Sets profile attributes through the same path as a `profile.updated` event, once per run and step. */
export async function updateProfile(
  deps: RuntimeDeps,
  run: Run,
  stepId: string,
  attributes: Record<string, string | number | boolean | null>,
): Promise<{ updated: boolean }> {
  const profile = await readCurrentProfile(deps, run.customerId);
  const detail = {
    eventId: `journey-${createHash('sha256').update(`${run.runId}:${stepId}`).digest('hex').slice(0, 32)}`,
    occurredAt: deps.clock().toISOString(),
    customer: customerRefFor(run.customerId, profile),
    data: { attributes },
  };
  const parsed = parseEvent({ detailType: DetailTypes.ProfileUpdated, source: LIFECYCLE_SOURCE, detail });
  if (!parsed.ok) throw new Error(`journey ${run.journey} step ${stepId} makes an invalid profile update: ${parsed.reason}`);
  const outcome = await recordEvent({ ...deps, clock: deps.clock }, parsed.event);
  return { updated: outcome.status === 'recorded' };
}

/** Ends the run; counts its outcome once, however often it is retried, with any other counters of the same move (steps reached). */
export async function finishRun(
  deps: StoreDeps & Pick<RuntimeDeps, 'clock'>,
  run: Run,
  outcome: Outcome,
  alsoCount: readonly string[] = [],
): Promise<{ outcome: Outcome }> {
  if (await leave(deps, run.customerId, run.journey, run.runId, outcome, deps.clock())) {
    await addCounters(deps, run.journey, run.version, [...outcomeCounters(outcome, run.holdout, run.variant), ...alsoCount]);
  }
  return { outcome };
}
