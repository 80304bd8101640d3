/**
 * How to read a segment's members from the profile store. Profiles are packed, so no filter
 * expression can look inside them: every candidate is read and the condition decides. The plan
 * only chooses the candidates — the customers of a few stages (a query of the stage index), or
 * every profile (a parallel scan of the stage index, which holds profiles only).
 */
import { requiredStages } from '../conditions/condition.ts';
import type { Stage } from '../stages/stages.ts';
import type { Segment } from './segment.ts';

export type SegmentPlan = { readonly kind: 'stage-index'; readonly stages: readonly Stage[] } | { readonly kind: 'scan'; readonly segments: number };

/** Parallel scan segments: enough to overlap round trips without crowding the table's other work. */
export const SCAN_SEGMENTS = 4;

/** A query of the stage index when every member must be in one of a few stages (see requiredStages), else a parallel scan of it. */
export function planSegment(segment: Pick<Segment, 'conditions'>): SegmentPlan {
  const stages = requiredStages(segment.conditions);
  return stages ? { kind: 'stage-index', stages } : { kind: 'scan', segments: SCAN_SEGMENTS };
}
