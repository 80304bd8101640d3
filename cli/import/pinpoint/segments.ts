/**
 * GetSegment responses as segment files. A dimensional segment becomes one condition; a segment
 * built on others (segment groups with source segments) takes in their conditions, so the order
 * of the files does not matter. An imported segment (a list uploaded to Pinpoint) has no
 * condition to translate: it is reported, not written.
 */
import type { Condition } from '#shared/conditions/condition.ts';
import { SegmentDefinition, type Segment } from '#shared/segments/segment.ts';
import { segmentCondition } from './conditions.ts';
import { blocking, note, type Issue } from './issues.ts';
import { kebabName, unique } from './names.ts';
import type { SegmentResponse } from './shapes.ts';

export interface TranslatedSegment {
  readonly source: SegmentResponse;
  readonly name: string;
  /** Absent when a blocking issue kept it from being written. */
  readonly segment?: Segment;
  readonly issues: readonly Issue[];
}

/** Translates every segment of an export, each under a name of its own, none of those `taken`. */
export function translateSegments(sources: readonly SegmentResponse[], taken: Set<string> = new Set()): TranslatedSegment[] {
  const byId = new Map(sources.map((source) => [source.Id, source]));
  const done = new Map<string, TranslatedSegment>();
  const inProgress = new Set<string>();
  const names = new Map(sources.map((source) => [source.Id, unique(kebabName(source.Name ?? source.Id, 64, 'segment'), taken, 64)]));

  const translate = (source: SegmentResponse): TranslatedSegment => {
    const known = done.get(source.Id);
    if (known) return known;
    const name = names.get(source.Id) as string;
    inProgress.add(source.Id);
    const issues: Issue[] = [];
    let condition: Condition | undefined;
    if (source.SegmentType === 'IMPORT') {
      issues.push(
        blocking(
          'SegmentType',
          'an imported segment is a list of endpoints, not a condition: tag those customers with an attribute and write the segment on it',
        ),
      );
    } else {
      const lookup = (id: string): Condition | undefined => {
        const referenced = byId.get(id);
        if (!referenced || inProgress.has(id)) return undefined;
        return translate(referenced).segment?.conditions;
      };
      const translated = segmentCondition(source.Dimensions, source.SegmentGroups, lookup);
      issues.push(...translated.issues);
      condition = translated.value;
    }
    inProgress.delete(source.Id);
    const description = `Imported from the Pinpoint segment "${(source.Name ?? source.Id).slice(0, 200)}" (${source.Id}).`;
    let segment: Segment | undefined;
    if (condition && !issues.some((issue) => issue.blocking)) {
      const parsed = SegmentDefinition.safeParse({ name, description, conditions: condition });
      if (parsed.success) segment = parsed.data;
      else issues.push(blocking('conditions', `the translation is not a valid segment: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`));
    }
    if (!segment) issues.push(note('segment', 'not written; a journey that starts from it or tests it is marked not deployable'));
    const result = { source, name, ...(segment && { segment }), issues };
    done.set(source.Id, result);
    return result;
  };

  return sources.map(translate);
}
