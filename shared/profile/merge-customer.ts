/**
 * Merges a provisional customer into the customer it turned out to be. The steps are ordered so
 * that a crash at any point is completed by a retry and nothing is counted twice:
 *
 * 1. mark the provisional profile `mergedInto` (conditional on its version): from then on, every
 *    writer that reads it is redirected, so it no longer changes;
 * 2. copy its timeline and consent ledger under the customer (idempotent puts);
 * 3. fold it into the customer's profile, unless `mergedFrom` already lists it (conditional write);
 * 4. point its identities at the customer.
 */
import { ConcurrentUpdateError } from '../errors.ts';
import { copyConsentLedger } from './consent-ledger.ts';
import { emailHash, identityKindOf } from './identity.ts';
import { mergeProfiles } from './merge-profiles.ts';
import type { Stage } from '../stages/stages.ts';
import { newProfile, type Profile } from './profile.ts';
import { claimIdentity, copyTimeline, putProfile, readProfile, type StoreDeps } from './store.ts';

export interface MergeDeps extends StoreDeps {
  readonly now: string;
  readonly maxAttempts: number;
  readonly backoff: (attempt: number) => Promise<void>;
  /**
   * The mark of the event whose identification caused the merge. A stage move the merge makes is
   * left on the profile under it, so that whichever delivery of that event records it on the
   * timeline (two may run at once) records the move too.
   */
  readonly causedBy?: string;
}

/**
 * Marks the provisional profile merged. When it does not exist yet (its first event is still on
 * its way), a tombstone takes its place, so that event's write fails its condition and follows
 * the mark to the customer instead of creating an orphan.
 */
async function markMerged(deps: MergeDeps, sourceId: string, targetId: string): Promise<Profile | undefined> {
  for (let attempt = 1; attempt <= deps.maxAttempts; attempt++) {
    const source = await readProfile(deps, sourceId);
    if (source?.mergedInto !== undefined) return source;
    const base = source ?? { ...newProfile(sourceId, deps.now), version: 0 };
    const marked: Profile = { ...base, version: base.version + 1, mergedInto: targetId, updatedAt: deps.now };
    if ((await putProfile(deps, marked)).ok) return source ? marked : undefined;
    await deps.backoff(attempt);
  }
  throw new ConcurrentUpdateError(`could not mark ${sourceId} as merged`);
}

/** @returns the stage change the fold made (a merge is a stage change too): from none for a customer first seen through it */
async function foldInto(deps: MergeDeps, source: Profile, targetId: string): Promise<StageMove | undefined> {
  for (let attempt = 1; attempt <= deps.maxAttempts; attempt++) {
    const target = await readProfile(deps, targetId);
    if (target?.mergedFrom.includes(source.customerId)) return undefined;
    const base = target ?? { ...newProfile(targetId, source.firstSeenAt), stage: source.stage, stageSince: source.stageSince };
    const folded = mergeProfiles(base, source, deps.now);
    const moved = !target || folded.stage !== target.stage;
    const merged: Profile =
      moved && deps.causedBy
        ? {
            ...folded,
            lastStageChange: {
              ...(target && { from: target.stage }),
              reason: `merged with earlier activity that had reached ${folded.stage}`,
              by: deps.causedBy,
            },
          }
        : folded;
    if ((await putProfile(deps, merged)).ok) {
      if (!target) return { to: merged.stage };
      return merged.stage === target.stage ? undefined : { from: target.stage, to: merged.stage };
    }
    await deps.backoff(attempt);
  }
  throw new ConcurrentUpdateError(`could not merge into ${targetId}`);
}

export interface StageMove {
  /** Absent when the customer had no profile before. */
  readonly from?: Stage;
  readonly to: Stage;
}

export interface MergeResult {
  /** Timeline entries copied. */
  readonly copied: number;
  /** The customer's stage change the merge made, if it made one. */
  readonly stageMove?: StageMove;
}

export async function mergeCustomer(deps: MergeDeps, sourceId: string, targetId: string): Promise<MergeResult> {
  const source = await markMerged(deps, sourceId, targetId);
  if (source?.mergedInto !== undefined && source.mergedInto !== targetId) {
    // Already merged into someone else (a race between two identifications): leave it there.
    return { copied: 0 };
  }
  const copied = await copyTimeline(deps, sourceId, targetId);
  await copyConsentLedger(deps, sourceId, targetId);
  const stageMove = source ? await foldInto(deps, source, targetId) : undefined;
  const identities = [
    ...(source?.anonymousIds ?? []).map((anonymousId) => ({ kind: 'anonymous' as const, value: anonymousId })),
    ...(source?.email !== undefined ? [{ kind: 'email' as const, value: emailHash(source.email) }] : []),
    ...identityKindOf(sourceId),
  ];
  // The provisional id's own identifier is usually among the profile's too: one claim each.
  const distinct = new Map(identities.map((identity) => [`${identity.kind}#${identity.value}`, identity]));
  for (const identity of distinct.values()) {
    await claimIdentity(deps, identity.kind, identity.value, targetId, [sourceId]);
  }
  return { copied, ...(stageMove && { stageMove }) };
}
