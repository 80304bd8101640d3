/**
 * Segments: who a segment holds (definitions, shared/segments/segment.ts), how it is read from the
 * store (a stage index or a parallel scan, plan.ts) and who is in it now (evaluate-segment.ts).
 */
export { countSegment, countSegments, segmentMembers, type SegmentCount, type SegmentDeps, type SegmentMembersOptions } from './evaluate-segment.ts';
export { planSegment, SCAN_SEGMENTS, type SegmentPlan } from './plan.ts';
export { defineSegment, parseSegment, type Segment, SegmentDefinition, SegmentDefinitionError } from './segment.ts';
