/**
 * The gate in front of an event-triggered journey. Most events that could start a journey must
 * not: the lead gave no consent, the customer is in a run already or cooling down, the view is
 * their first. The gate asks the questions entering asks (reading, writing nothing but the refusal
 * count) and starts a run only for a customer who may enter; entering still decides for good (two
 * events at once can both pass the gate; one enters).
 *
 * The run is named after the trigger event, so an event delivered twice starts one run.
 */
import { createHash } from 'node:crypto';
import type { StoreDeps } from '../profile/store.ts';
import { erasedAfter } from '../profile/profile.ts';
import type { JourneyDefinition } from './definition.ts';
import type { StartOutcome } from './engine.ts';
import { entryRefusal, readMembership } from './membership.ts';
import { notEntered, passesProfileFilter, triggeredBy, type EntryInput } from './runtime.ts';

export interface GateDeps extends StoreDeps {
  readonly now: () => number;
  readonly consentMode: 'opt-in' | 'opt-out';
  /** Starts the run: enters the customer and runs the first steps. */
  readonly start: (journey: JourneyDefinition, runId: string, input: EntryInput) => Promise<StartOutcome>;
}

export type GateOutcome = { readonly started: true; readonly run: string; readonly again: boolean } | { readonly started: false; readonly reason: string };

/** A trigger event's run: the same event always gets the same name (1-80 letters, digits, - or _). */
export function triggerRunName(journey: string, eventId: string): string {
  return `t-${createHash('sha256').update(`${journey}\n${eventId}`).digest('hex').slice(0, 40)}`;
}

/**
 * Whether a provisional profile since merged into the customer entered the journey by this very
 * event: an anonymous visit's event delivered again after the sign-up merged the visitor resolves
 * to the customer, whose membership has not seen it — but the run it started is the visitor's.
 */
async function takenBeforeMerge(deps: StoreDeps, mergedFrom: readonly string[], journey: string, eventId: string): Promise<boolean> {
  for (const provisional of mergedFrom) {
    if ((await readMembership(deps, provisional, journey))?.triggers?.includes(eventId)) return true;
  }
  return false;
}

export async function admitTrigger(deps: GateDeps, journey: JourneyDefinition, event: unknown): Promise<GateOutcome> {
  const now = new Date(deps.now());
  const ref = { name: journey.name, version: journey.version };
  const refuse = async (reason: string): Promise<GateOutcome> => {
    await notEntered(deps, ref, reason);
    return { started: false, reason };
  };

  const triggered = await triggeredBy(deps, event, now);
  if (!triggered) return refuse('invalid-trigger');
  if (erasedAfter(triggered.profile, triggered.occurredAt)) return refuse('erased');
  const profile = 'profile' in journey.trigger ? journey.trigger.profile : undefined;
  if (!passesProfileFilter(deps, { ...(profile && { profile }) }, triggered.profile, now)) return refuse('profile-filter');
  const membership = await readMembership(deps, triggered.profile.customerId, journey.name);
  // The run this trigger starts, named by it: a membership already active with it is this very
  // start retried after a crash (entered, its first move not made yet), which goes on below.
  const run = triggerRunName(journey.name, triggered.trigger.eventId);
  const refusal = entryRefusal(membership, journey.entry.reentry, now.getTime(), run, triggered.trigger.eventId);
  if (refusal) return refuse(refusal);
  if (await takenBeforeMerge(deps, triggered.profile.mergedFrom, journey.name, triggered.trigger.eventId)) return refuse('same-trigger');

  const started = await deps.start(journey, run, { triggered });
  // Refused on entering after all: counted there, by its reason.
  if (started === 'refused') return { started: false, reason: 'entry-refused' };
  return { started: true, run, again: started === 'exists' };
}
