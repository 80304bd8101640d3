/** A segment's members, read from the profile store as its plan says and checked one by one. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { evaluate } from '../conditions/condition.ts';
import type { ConsentMode } from '../outreach/consent.ts';
import type { Profile } from '../profile/profile.ts';
import { planSegment, SCAN_SEGMENTS, type SegmentPlan } from './plan.ts';
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
  const [count] = await countSegments(deps, [segment]);
  if (!count) throw new Error('one segment counted, no count');
  return count;
}

/**
 * Counts several segments in one read of the store: each profile the segments' plans together
 * need is read once and judged against every segment (segments evaluated on the same schedule
 * would otherwise read the whole store once each). In the segments' order.
 */
export async function countSegments(deps: SegmentDeps, segments: readonly Pick<Segment, 'conditions'>[]): Promise<SegmentCount[]> {
  const plans = segments.map((segment) => planSegment(segment));
  const stages = plans.every((plan) => plan.kind === 'stage-index') ? [...new Set(plans.flatMap((plan) => plan.stages))] : undefined;
  const plan: SegmentPlan = stages ? { kind: 'stage-index', stages } : { kind: 'scan', segments: SCAN_SEGMENTS };
  const context = { now: deps.now(), consentMode: deps.consentMode };
  // Queries of several stages can list a customer twice (moving meanwhile): each is judged once. A scan yields each once.
  const judged = plan.kind === 'stage-index' && plan.stages.length > 1 ? new Set<string>() : undefined;
  const members = segments.map(() => 0);
  let examined = 0;
  for await (const page of profilePages(deps, plan)) {
    examined += page.length;
    for (const profile of page) {
      if (profile.mergedInto !== undefined || judged?.has(profile.customerId)) continue;
      judged?.add(profile.customerId);
      segments.forEach((segment, index) => {
        if (evaluate(segment.conditions, { ...context, profile })) members[index] = (members[index] ?? 0) + 1;
      });
    }
  }
  return segments.map((_, index) => ({ members: members[index] ?? 0, examined, plan }));
}
