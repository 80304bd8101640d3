/**
 * Launching a journey on a segment or a list of customers: one run per eligible customer, named
 * after the launch and the customer, so a launch sent twice (or resumed after a failure) starts
 * each run once. Customers the entry rules keep out are counted and skipped; starts are paced, so
 * that a large launch does not flood the outreach queue at once, and their progress is written
 * as they go (launch-progress.ts). A dry run starts nothing and lists who would enter and which
 * messages each would get.
 */
import { createHash } from 'node:crypto';
import type { Profile } from '../profile/profile.ts';
import { readProfile, type StoreDeps } from '../profile/store.ts';
import { segmentMembers, type Segment } from '../segments/index.ts';
import type { JourneyDefinition } from './definition.ts';
import { PROGRESS_EVERY, writeLaunchProgress, type LaunchCounts } from './launch-progress.ts';
import { entryRefusal, readMembership } from './membership.ts';
import { plannedMessages, type PlannedMessage } from './plan.ts';
import type { StartOutcome } from './engine.ts';
import type { EntryInput } from './runtime.ts';

export interface LaunchDeps extends StoreDeps {
  readonly now: () => number;
  readonly consentMode: 'opt-in' | 'opt-out';
  /** Starts a run (enters the customer, runs the first steps). */
  readonly start: (journey: JourneyDefinition, runId: string, input: EntryInput) => Promise<StartOutcome>;
  /** Starts per second. @default 50 */
  readonly ratePerSecond?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface LaunchRequest {
  readonly journey: JourneyDefinition;
  /** 1-40 letters, digits, - or _: part of every run's id. */
  readonly launchId: string;
  readonly audience: { readonly segment: Segment } | { readonly customerIds: readonly string[] };
  readonly dryRun?: boolean;
  /** How many customers a segment has (the dry run's count), for progress as a share. @default a list's length */
  readonly total?: number;
}

export type LaunchProgress = LaunchCounts;

export interface LaunchReport extends LaunchProgress {
  readonly launchId: string;
  readonly journey: string;
  readonly ineligibleBy: Readonly<Record<string, number>>;
  /** Dry runs: who would enter and the messages each would get. */
  readonly wouldEnter?: readonly { readonly customerId: string; readonly messages: readonly PlannedMessage[] }[];
}

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/** The id of a customer's run in a launch: unique per launch and customer, within 80 characters. */
export function launchRunId(launchId: string, customerId: string): string {
  return `${launchId}-${createHash('sha256').update(customerId).digest('hex').slice(0, 32)}`;
}

async function* audienceProfiles(deps: LaunchDeps, request: LaunchRequest): AsyncGenerator<Profile | { missing: string }> {
  if ('segment' in request.audience) {
    yield* segmentMembers({ ...deps, now: deps.now, consentMode: deps.consentMode }, request.audience.segment);
    return;
  }
  for (const customerId of request.audience.customerIds) {
    const profile = await readProfile(deps, customerId);
    yield profile && profile.mergedInto === undefined ? profile : { missing: customerId };
  }
}

export async function launchJourney(deps: LaunchDeps, request: LaunchRequest, onProgress?: (progress: LaunchProgress) => void): Promise<LaunchReport> {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(request.launchId)) throw new LaunchError('a launch id is 1-40 letters, digits, - or _');
  const interval = 1000 / (deps.ratePerSecond ?? 50);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const ineligibleBy: Record<string, number> = {};
  const wouldEnter: { customerId: string; messages: PlannedMessage[] }[] = [];
  const progress = { considered: 0, started: 0, alreadyStarted: 0, ineligible: 0 };
  const skip = (reason: string) => {
    ineligibleBy[reason] = (ineligibleBy[reason] ?? 0) + 1;
    progress.ineligible++;
  };
  const total = request.total ?? ('customerIds' in request.audience ? request.audience.customerIds.length : undefined);
  // A dry run decides nothing and is over in one page's time: it keeps no progress.
  const record = (done: boolean) =>
    request.dryRun
      ? Promise.resolve()
      : writeLaunchProgress(deps, {
          journey: request.journey.name,
          launchId: request.launchId,
          ...progress,
          ...(total !== undefined && { total }),
          done,
          updatedAt: new Date(deps.now()).toISOString(),
        });

  for await (const member of audienceProfiles(deps, request)) {
    // Before each fiftieth customer (the first too, so the item is there from the start).
    if (progress.considered % PROGRESS_EVERY === 0) await record(false);
    progress.considered++;
    if ('missing' in member) {
      skip('no-profile');
      continue;
    }
    const name = launchRunId(request.launchId, member.customerId);
    const membership = await readMembership(deps, member.customerId, request.journey.name);
    const refusal = entryRefusal(membership, request.journey.entry.reentry, deps.now(), name);
    if (refusal) {
      skip(refusal);
    } else if (request.dryRun && membership?.activeRunId === name) {
      progress.alreadyStarted++;
    } else if (request.dryRun) {
      wouldEnter.push({ customerId: member.customerId, messages: plannedMessages(request.journey, member, name, deps.consentMode, deps.now()) });
    } else {
      // Started again when this launch started the run before (the launch sent again, or retried
      // after a crash): starting is idempotent, and finishes a start that stopped half-way.
      const started = await deps.start(request.journey, name, { launch: { launchId: request.launchId, customerId: member.customerId } });
      if (started === 'started') progress.started++;
      else if (started === 'exists') progress.alreadyStarted++;
      // Entered another run in the meantime: refused on entering, counted there.
      else skip('entry-refused');
      await sleep(interval);
    }
    onProgress?.({ ...progress });
  }
  await record(true);
  return { launchId: request.launchId, journey: request.journey.name, ...progress, ineligibleBy, ...(request.dryRun && { wouldEnter }) };
}
