/**
 * The conditions of a journey's splits: a segment's (by id), segment dimensions, or events. An
 * event condition here counts the customer's events since they entered the run; Pinpoint's
 * `MessageActivity` narrows it to one message, which this format cannot, so that is a note.
 */
import type { Condition } from '#shared/conditions/condition.ts';
import { combine, dimensionsCondition, type SegmentLookup } from './conditions.ts';
import { catalogEvent } from './events.ts';
import { blocking, note, type Issue, type Translated } from './issues.ts';
import type { SimpleCondition } from './shapes.ts';

function eventCondition(condition: NonNullable<SimpleCondition['EventCondition']>, at: string): Translated<Condition> {
  const dimensions = condition.Dimensions;
  const issues: Issue[] = [];
  if (Object.keys(dimensions?.Attributes ?? {}).length > 0 || Object.keys(dimensions?.Metrics ?? {}).length > 0) {
    issues.push(blocking(at, "an event condition on the event's attributes or metrics has no counterpart (conditions count events of a type)"));
  }
  const types = dimensions?.EventType?.Values ?? [];
  const events = types.map((type) => ({ type, event: catalogEvent(type) }));
  for (const { type, event } of events) if (!event) issues.push(blocking(at, `event ${type} has no counterpart in the event catalog`));
  if (condition.MessageActivity) issues.push(note(at, `counts the event for any email of the run, not only activity ${condition.MessageActivity}'s`));
  const known = [...new Set(events.flatMap(({ event }) => (event ? [event] : [])))].map((event): Condition => ({ event }));
  const matched = combine('any', known);
  const value = dimensions?.EventType?.DimensionType === 'EXCLUSIVE' && matched ? ({ not: matched } as Condition) : matched;
  return { ...(value && { value }), issues };
}

function simpleCondition(condition: SimpleCondition, segments: SegmentLookup, at: string): Translated<Condition> {
  if (condition.SegmentCondition) {
    const value = segments(condition.SegmentCondition.SegmentId);
    return value ? { value, issues: [] } : { issues: [blocking(at, `segment ${condition.SegmentCondition.SegmentId} was not translated`)] };
  }
  if (condition.SegmentDimensions) return dimensionsCondition(condition.SegmentDimensions, at);
  if (condition.EventCondition) return eventCondition(condition.EventCondition, at);
  return { issues: [blocking(at, 'an empty condition')] };
}

/** Conditions joined by `ALL` (the default) or `ANY`. */
export function splitCondition(
  conditions: readonly SimpleCondition[],
  operator: string | undefined,
  segments: SegmentLookup,
  at: string,
): Translated<Condition> {
  const parts = conditions.map((condition, index) => simpleCondition(condition, segments, `${at} condition ${index + 1}`));
  const issues = parts.flatMap((part) => part.issues);
  const value = combine(
    operator === 'ANY' ? 'any' : 'all',
    parts.flatMap((part) => (part.value ? [part.value] : [])),
  );
  if (!value && !issues.some((issue) => issue.blocking)) issues.push(blocking(at, 'no condition to test'));
  return { ...(value && !issues.some((issue) => issue.blocking) && { value }), issues };
}
