/** A segment's members, read from the profile store as its plan says and checked one by one. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { evaluate } from '../conditions/condition.ts';
import type { ConsentMode } from '../outreach/consent.ts';
import type { Profile } from '../profile/profile.ts';
import { planSegment, type SegmentPlan } from './plan.ts';
import { scanProfilePages, stageIndexProfilePages } from './profile-reads.ts';
import type { Segment } from './segment.ts';

export interface SegmentDeps {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Epoch milliseconds; read once per run, so every profile is judged at the same instant. */
  readonly now: () => number;
  readonly consentMode: ConsentMode;
}

export interface SegmentMembersOptions {
  /**
   * Called after each page with running totals: `examined` profiles read and checked (merged ones
   * included), `matched` members found so far.
   */
  readonly onProgress?: (examined: number, matched: number) => void;
}

export interface SegmentCount {
  readonly members: number;
  readonly examined: number;
  readonly plan: SegmentPlan;
}

function profilePages(deps: SegmentDeps, plan: SegmentPlan): AsyncGenerator<Profile[]> {
  return plan.kind === 'stage-index' ? stageIndexProfilePages(deps, plan.stages) : scanProfilePages(deps, plan.segments);
}

/**
 * Every profile in the segment, page by page, with progress. A profile merged into another
 * (`mergedInto` set: a provisional profile that turned out to be a known customer) is not a
 * customer and never a member. Each member is yielded once, even when its stage changes during
 * the run and the stage index lists it under two stages.
 */
export async function* segmentMembers(deps: SegmentDeps, segment: Pick<Segment, 'conditions'>, options: SegmentMembersOptions = {}): AsyncGenerator<Profile> {
  const plan = planSegment(segment);
  const context = { now: deps.now(), consentMode: deps.consentMode };
  // Queries of several stages can list a customer twice (moving meanwhile); a scan yields each once.
  const yielded = plan.kind === 'stage-index' && plan.stages.length > 1 ? new Set<string>() : undefined;
  let examined = 0;
  let matched = 0;
  for await (const page of profilePages(deps, plan)) {
    const members = page.filter((profile) => {
      if (profile.mergedInto !== undefined || !evaluate(segment.conditions, { ...context, profile })) return false;
      if (yielded?.has(profile.customerId)) return false;
      yielded?.add(profile.customerId);
      return true;
    });
    examined += page.length;
    matched += members.length;
    options.onProgress?.(examined, matched);
    yield* members;
  }
}

/** How many profiles are in the segment, how many were read to find out, and how. */
export async function countSegment(deps: SegmentDeps, segment: Pick<Segment, 'conditions'>): Promise<SegmentCount> {
  let examined = 0;
  let members = 0;
  for await (const _member of segmentMembers(deps, segment, { onProgress: (seen) => (examined = seen) })) members++;
  return { members, examined, plan: planSegment(segment) };
}
