/**
 * The journey engine: participants move through a journey's steps in short function calls and
 * cost nothing while they wait. A participant runs its steps until a wait, then its state goes on
 * its membership item (participant.ts) and an EventBridge Scheduler one-time schedule is set to
 * wake it when the wait ends (or when a wait for an event times out). Events a journey waits for
 * or exits on wake the participant in the delivery that records them. Each participant finishes
 * on the version of the journey it entered.
 *
 * Exactly once: a send carries a message key unique to the run and step (the sender sends a key
 * once), a move is a conditional write on the participant's sequence number, and a wake-up must
 * name the schedule the participant is waiting on, so a stale or duplicated schedule firing, an
 * event delivered twice, or a retried call moves nobody twice.
 */
import { createHash } from 'node:crypto';
import { ownerOf, type DetailType } from '../events/catalog.ts';
import { checkOccurredAt, parseEvent } from '../events/parse.ts';
import { findCustomerId } from '../profile/lookup.ts';
import { recordEvent } from '../profile/record-event.ts';
import { STAGES } from '../stages/stages.ts';
import { durationSeconds, eventsThatWake, waitsFirst, type JourneyDefinition, type Step } from './definition.ts';
import { addCounters, stepCounter } from './metrics.ts';
import { journeysOf } from './membership.ts';
import { readParticipant, saveParticipant, type Participant, type Waiting } from './participant.ts';
import { after, into, stepAt, type Position } from './position.ts';
import type { Run } from './run.ts';
import { resolveRunPaths } from './run-path.ts';
import { announcesSuppression } from './suppression.ts';
import {
  assignHoldout,
  assignVariant,
  checkExit,
  enterJourney,
  eventCameSince,
  evaluateBranch,
  finishRun,
  updateProfile,
  waitEnds,
  type EntryInput,
  type RuntimeDeps,
} from './runtime.ts';

/** The Source of the custom events journeys emit. */
export const JOURNEY_EVENT_SOURCE = 'lifecycle.journeys';

/** What a schedule gives the engine when it fires. */
export interface Wake {
  readonly customerId: string;
  readonly journey: string;
  readonly runId: string;
  readonly schedule: string;
}

export interface EngineDeps extends RuntimeDeps {
  /** Puts a send request on the outreach queue. */
  readonly sendRequest: (request: Record<string, unknown>) => Promise<void>;
  /** Puts a journey's custom event on the bus. */
  readonly putEvent: (detailType: string, detail: Record<string, unknown>) => Promise<void>;
  /** Creates a one-time schedule that wakes the participant at `at`; a schedule of that name already there is fine. */
  readonly scheduleWake: (name: string, at: Date, wake: Wake) => Promise<void>;
  /** Deletes a schedule that is no longer needed; one already gone is fine. */
  readonly cancelWake: (name: string) => Promise<void>;
  /** A journey as it was at a version: participants finish on the version they entered. */
  readonly definition: (name: string, version: number) => JourneyDefinition | undefined;
  /** The journeys deployed now: whose events may wake participants. */
  readonly journeys: readonly JourneyDefinition[];
}

export class JourneyVersionMissingError extends Error {
  override readonly name = 'JourneyVersionMissingError';
}

function definitionOf(deps: EngineDeps, run: Run): JourneyDefinition {
  const journey = deps.definition(run.journey, run.version);
  if (!journey) throw new JourneyVersionMissingError(`journey ${run.journey} v${run.version} is not deployed: keep its version in workflows/journey-versions`);
  return journey;
}

/** A schedule's name: unique per run, move and wait, within Scheduler's 64 characters. */
export function wakeScheduleName(runId: string, seq: number, at: Position): string {
  return `journey-${createHash('sha256')
    .update(`${runId}:${seq}:${at.join('/')}`)
    .digest('hex')
    .slice(0, 40)}`;
}

function sendRequestOf(journey: JourneyDefinition, run: Run, step: Extract<Step, { send: unknown }>): Record<string, unknown> {
  const { send } = step;
  return {
    version: 1,
    messageKey: `journey:${journey.name}:${run.runId}:${step.id}`,
    customerId: run.customerId,
    template: send.template,
    kind: send.kind,
    ...(send.topic && { topic: send.topic }),
    variables: resolveRunPaths(send.variables ?? {}, run),
    ...(send.personalize && { personalize: resolveRunPaths(send.personalize, run) }),
    ...(journey.frequencyCap && { frequencyCap: journey.frequencyCap }),
    origin: { journey: journey.name, version: journey.version, step: step.id },
  };
}

/**
 * Parks the participant at a wait: the schedule first, so that a retry after a crash finds it there.
 * A run's first move counts its entry and the steps it reached in one counter update, made by the
 * move that wins the conditional save (a crash between the two writes loses them). A later move
 * writes no counter: the steps it reached wait on the participant (`uncounted`) and are counted
 * with the run's end, so a participant costs no more writes per wait than it did before steps were
 * counted.
 */
async function park(
  deps: EngineDeps,
  participant: Participant,
  waiting: Omit<Waiting, 'schedule'>,
  from: number | undefined,
  counters: Counters,
): Promise<void> {
  const seq = participant.seq + 1;
  const schedule = wakeScheduleName(participant.run.runId, seq, participant.at);
  await deps.scheduleWake(schedule, new Date(waiting.until), {
    customerId: participant.run.customerId,
    journey: participant.run.journey,
    runId: participant.run.runId,
    schedule,
  });
  // The run's first move is the one from sequence number 0 (a start, or its resumption after a crash).
  const firstMove = participant.seq === 0;
  const uncounted = firstMove ? [] : [...(participant.uncounted ?? []), ...counters.reached];
  if (await saveParticipant(deps, { ...participant, waiting: { ...waiting, schedule }, seq, uncounted }, from)) {
    if (firstMove) await addCounters(deps, participant.run.journey, participant.run.version, [...counters.entry, ...counters.reached.map(stepCounter)]);
    return;
  }
  // Someone else moved the participant first. The same move made twice at once (a trigger
  // delivered twice) names the same schedule, which the winner waits on: keep it; a schedule of
  // another move is nobody's and goes. The entry, this start's alone, is counted either way.
  await addCounters(deps, participant.run.journey, participant.run.version, counters.entry);
  const winner = await readParticipant(deps, participant.run.customerId, participant.run.journey);
  if (winner?.waiting?.schedule !== schedule) await deps.cancelWake(schedule);
}

/** What a move counts when it parks or ends: the run's entry (first move only), and the steps it reached. */
interface Counters {
  readonly entry: readonly string[];
  readonly reached: readonly string[];
}

/**
 * Runs a participant's steps from `at` until a wait or the end. `from` is the sequence number
 * the move started from (none for a run's first move); `entry`, the entry's counters on a first move.
 */
async function advance(
  deps: EngineDeps,
  journey: JourneyDefinition,
  start: Participant,
  from: number | undefined,
  entry: readonly string[] = [],
): Promise<void> {
  let { run } = start;
  let at: Position | undefined = start.at.length === 0 ? undefined : start.at;
  const steps = [...(start.steps ?? [])];
  const uncounted = start.uncounted ?? [];
  /** The steps this move reaches (`steps` keeps only the latest few). */
  const reached: string[] = [];
  const now = () => deps.clock().getTime();
  while (at) {
    const step = stepAt(journey.steps, at);
    if (!step) break;
    steps.push(step.id);
    reached.push(step.id);
    if ('send' in step) {
      // The holdout receives nothing but walks the same path, so its conversions are comparable.
      if (!run.holdout) await deps.sendRequest(sendRequestOf(journey, run, step));
      at = after(journey.steps, at);
    } else if ('wait' in step) {
      const { at: until } = await waitEnds(deps, run, step.wait);
      return park(deps, { run, at: after(journey.steps, at) ?? [], seq: start.seq, steps, uncounted }, { kind: 'time', until }, from, { entry, reached });
    } else if ('waitForEvent' in step) {
      const until = new Date(now() + durationSeconds(step.waitForEvent.timeout) * 1000).toISOString();
      return park(
        deps,
        { run, at, seq: start.seq, steps, uncounted },
        { kind: 'event', until, event: step.waitForEvent.event, startedAt: new Date(now()).toISOString() },
        from,
        { entry, reached },
      );
    } else if ('branch' in step) {
      const { result } = await evaluateBranch(deps, run, step.branch.if);
      at = into(journey.steps, at, result ? 'then' : 'else');
    } else if ('split' in step) {
      const { variant } = await assignVariant(deps, run, step.id, step.split.variants);
      run = { ...run, variant };
      at = into(journey.steps, at, `variant:${variant}`);
    } else if ('holdout' in step) {
      const { holdout } = await assignHoldout(deps, run, step.id, step.holdout.percent);
      run = { ...run, holdout: run.holdout || holdout };
      at = after(journey.steps, at);
    } else if ('updateProfile' in step) {
      await updateProfile(deps, run, step.id, step.updateProfile.attributes);
      at = after(journey.steps, at);
    } else {
      const data = resolveRunPaths(step.emit.data ?? {}, run) as Record<string, unknown>;
      await deps.putEvent(step.emit.detailType, { journey: journey.name, version: journey.version, runId: run.runId, customerId: run.customerId, data });
      at = after(journey.steps, at);
    }
  }
  // The entry and the steps reached (those of earlier moves too) ride on the update that counts the run's end.
  await finishRun(deps, run, 'completed', [...entry, ...[...uncounted, ...reached].map(stepCounter)]);
}

/** What starting a run came to: started now, started before (a trigger delivered twice, a launch resumed), or refused at entry. */
export type StartOutcome = 'started' | 'exists' | 'refused';

/** Enters a customer (by the event that triggered the run, or a launch) and runs the first steps. */
export async function startRun(deps: EngineDeps, journey: JourneyDefinition, runId: string, input: EntryInput): Promise<StartOutcome> {
  const ref = {
    name: journey.name,
    version: journey.version,
    reentry: journey.entry.reentry,
    actsAtOnce: !waitsFirst(journey),
    ...('profile' in journey.trigger && journey.trigger.profile && { profile: journey.trigger.profile }),
  };
  const entry = await enterJourney(deps, ref, runId, input);
  if (!entry.entered) return 'refused';
  // Claimed first, so that one start runs the first steps when a trigger is delivered twice at
  // once (both may find the customer entered by this run): the other finds it claimed.
  const start = { run: entry.run, at: [0], seq: 0 };
  if (!(await saveParticipant(deps, start, undefined))) {
    // The same run saved before: if that attempt stopped before its first move, make the move
    // (with the entry's counters, which go with the move that is made, once).
    await resumeFirstMove(deps, journey, entry.run, entry.counters);
    return 'exists';
  }
  await advance(deps, journey, start, 0, entry.counters);
  await exitIfGoalCame(deps, entry.run.customerId, journey.name);
  return 'started';
}

/**
 * A start that found the run's participant saved already: by a start that crashed before its
 * first move was saved (its steps partly done, nothing waiting, no wake-up to come back on), or by
 * a start running now. A participant still at sequence 0 and not waiting has not made its first
 * move, so it is made here: every step of a move may run twice (a send is keyed by the run and the
 * step, a profile update and an emitted event carry ids made from them, a wait's schedule is named
 * by the run and the move, and the move is saved only from sequence 0), so a start running now and
 * this one end the same.
 */
async function resumeFirstMove(deps: EngineDeps, journey: JourneyDefinition, run: Run, counters: readonly string[]): Promise<void> {
  const saved = await readParticipant(deps, run.customerId, journey.name);
  if (saved?.run.runId !== run.runId || saved.seq !== 0 || saved.waiting) return;
  await advance(deps, journey, saved, 0, counters);
  await exitIfGoalCame(deps, run.customerId, journey.name);
}

/**
 * A goal or leave event recorded after the trigger but before the run waited — delivered at the
 * same moment as the trigger, or ahead of it — found nobody waiting when it was delivered to the
 * engine (wakeOnEvent), and would be seen only when the wait ends, days later; a redelivery of it
 * would end the run at once. Looking once, now that the run waits, ends it the same either way.
 */
async function exitIfGoalCame(deps: EngineDeps, customerId: string, journeyName: string): Promise<void> {
  const participant = await readParticipant(deps, customerId, journeyName);
  if (!participant?.waiting) return;
  const exit = await checkExit(deps, participant.run, definitionOf(deps, participant.run).exit);
  if (exit.outcome !== 'continue') await exitRun(deps, participant, exit.outcome);
}

export type WakeOutcome = 'moved' | 'converted' | 'left' | 'suppressed' | 'erased' | 'stale';

/** Ends a participant's run (a goal, a leave event, an operator), and its pending wake-up with it. */
export type ExitDeps = Pick<EngineDeps, 'ddb' | 'tableName' | 'clock' | 'cancelWake'>;

async function exitRun<T extends 'converted' | 'left' | 'removed' | 'suppressed' | 'erased'>(deps: ExitDeps, participant: Participant, outcome: T): Promise<T> {
  if (participant.waiting) await deps.cancelWake(participant.waiting.schedule);
  await finishRun(deps, participant.run, outcome, (participant.uncounted ?? []).map(stepCounter));
  return outcome;
}

/** Takes a participant out of a journey (`lifecycle journey exit`); false when the customer has no run of it. */
export async function removeParticipant(deps: ExitDeps, customerId: string, journey: string): Promise<boolean> {
  const participant = await readParticipant(deps, customerId, journey);
  if (!participant) return false;
  await exitRun(deps, participant, 'removed');
  return true;
}

/**
 * Ends every run the customer has, with their wake-ups: their address was suppressed, or they
 * were erased. The memberships say which journeys: a run of a journey retired since ends too.
 */
export async function stopRuns<T extends 'suppressed' | 'erased'>(deps: ExitDeps, customerId: string, outcome: T): Promise<Record<string, T>> {
  const outcomes: Record<string, T> = {};
  for (const journey of await journeysOf(deps, customerId)) {
    const participant = await readParticipant(deps, customerId, journey);
    if (participant) outcomes[journey] = await exitRun(deps, participant, outcome);
  }
  return outcomes;
}

/** A counted decision not to act: the wake-up came for a move already made, or a run that ended. */
async function stale(deps: EngineDeps, journey: string, version: number | undefined): Promise<WakeOutcome> {
  if (version !== undefined) await addCounters(deps, journey, version, ['wake.stale']);
  return 'stale';
}

/** A schedule fired: the wait is over (or a wait for an event timed out). */
export async function wakeOnSchedule(deps: EngineDeps, wake: Wake): Promise<WakeOutcome> {
  const participant = await readParticipant(deps, wake.customerId, wake.journey);
  if (!participant || participant.run.runId !== wake.runId || participant.waiting?.schedule !== wake.schedule)
    return stale(deps, wake.journey, participant?.run.version);
  const journey = definitionOf(deps, participant.run);
  const exit = await checkExit(deps, participant.run, journey.exit);
  if (exit.outcome !== 'continue') return exitRun(deps, participant, exit.outcome);
  const { waiting } = participant;
  let at: Position | undefined = participant.at;
  if (waiting.kind === 'event') {
    // The event may have been recorded while its own delivery to the engine failed: look once more.
    const came = await eventCameSince(deps, participant.run, waiting.event ?? '', waiting.startedAt ?? waiting.until);
    at = into(journey.steps, participant.at, came ? 'then' : 'else');
  }
  await advance(deps, journey, { ...participant, at: at ?? [] }, participant.seq);
  return 'moved';
}

/**
 * An event a journey waits for or exits on: each of the customer's waiting participants it
 * concerns moves at once — a goal converts, a leave event ends the run, a waited-for event goes on
 * to `then`. An announcement that the customer's address is suppressed ends all their runs.
 *
 * A run may be starting at this very moment (its trigger delivered with this event): it looks at
 * the timeline once it waits (startRun), and this looks at the participant — so, finding nobody
 * waiting, this records the event first (idempotent: the stage workflow's own recording of it is
 * then a duplicate, as for a journey's trigger) and looks again. Whichever of the two comes second
 * sees the other, so the event ends the run now, not when its wait ends — and the same whether the
 * event was delivered once or again later.
 */
/**
 * Whether a stage workflow records this event: only then may the engine record it ahead of it.
 * System events (email feedback, outreach) are the system's own announcements, kept on messages,
 * never on the timeline.
 */
function recordedByWorkflow(detailType: DetailType): boolean {
  const owner = ownerOf(detailType);
  return owner === 'profile' || (STAGES as readonly string[]).includes(owner);
}

export async function wakeOnEvent(deps: EngineDeps, input: unknown): Promise<Record<string, WakeOutcome>> {
  const raw = (input ?? {}) as { 'detail-type'?: unknown; source?: unknown; detail?: unknown };
  const parsed = parseEvent({ detailType: raw['detail-type'], source: raw.source, detail: raw.detail });
  // The stage workflow rejects these too: they move nobody.
  if (!parsed.ok || checkOccurredAt(parsed.event.detail.occurredAt, deps.clock())) return {};
  const { customer } = parsed.event.detail;
  const customerId = customer.id ?? (customer.email ? await findCustomerId(deps, customer.email) : undefined);
  // A customer not known by id or email (an anonymous visitor) is in no journey yet.
  if (!customerId) return {};
  const { detailType } = parsed.event;
  if (announcesSuppression(detailType, parsed.event.detail.data)) return stopRuns(deps, customerId, 'suppressed');
  const occurredAt = Date.parse(parsed.event.detail.occurredAt);
  const outcomes: Record<string, WakeOutcome> = {};
  let recorded = false;
  for (const current of deps.journeys.filter((journey) => eventsThatWake(journey).includes(detailType))) {
    let participant = await readParticipant(deps, customerId, current.name);
    if (!participant?.waiting && !recorded && recordedByWorkflow(detailType)) {
      await recordEvent(deps, parsed.event);
      recorded = true;
      participant = await readParticipant(deps, customerId, current.name);
    }
    if (!participant?.waiting || occurredAt < Date.parse(participant.run.enteredAt)) continue;
    const journey = definitionOf(deps, participant.run);
    if (journey.exit.goals.includes(detailType as never)) outcomes[current.name] = await exitRun(deps, participant, 'converted');
    else if (journey.exit.leave.includes(detailType as never)) outcomes[current.name] = await exitRun(deps, participant, 'left');
    else if (
      participant.waiting.kind === 'event' &&
      participant.waiting.event === detailType &&
      occurredAt >= Date.parse(participant.waiting.startedAt ?? '')
    ) {
      await deps.cancelWake(participant.waiting.schedule);
      await advance(deps, journey, { ...participant, at: into(journey.steps, participant.at, 'then') ?? [] }, participant.seq);
      outcomes[current.name] = 'moved';
    }
  }
  return outcomes;
}
