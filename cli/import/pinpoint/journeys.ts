/**
 * GetJourney responses as journey files. The activities become steps (journey-steps.ts); the start
 * condition becomes the trigger; `Limits` become the entry rule and the journey's frequency cap.
 * Quiet time and the sending rate are the stack's settings here, so they are notes that say which
 * setting to change. Whatever changes what the journey would do goes into `notDeployable`.
 */
import type { Condition } from '#shared/conditions/condition.ts';
import { allSteps, JourneyDefinition, type Step } from '#shared/journeys/definition.ts';
import { durationFromIso, rateFromIso } from './durations.ts';
import { catalogEvent } from './events.ts';
import { blocking, describeIssue, note, type Issue } from './issues.ts';
import { journeySteps, type StepContext } from './journey-steps.ts';
import { kebabName, unique } from './names.ts';
import type { JourneyResponse } from './shapes.ts';

export interface JourneyContext extends StepContext {
  /** Segment names by Pinpoint segment id, whether or not the segment could be written. */
  readonly segmentNames: ReadonlyMap<string, string>;
}

export interface TranslatedJourney {
  readonly source: JourneyResponse;
  readonly name: string;
  /** What the file holds; absent only if even a journey marked not deployable could not be made valid. */
  readonly definition?: Record<string, unknown>;
  readonly issues: readonly Issue[];
}

type Trigger = Record<string, unknown>;

function eventFilter(
  attributes: Record<string, { AttributeType?: string; Values: string[] }>,
  metrics: Record<string, { ComparisonOperator: string; Value: number }>,
): Record<string, unknown> {
  const numeric: Record<string, string> = { GREATER_THAN: '>', GREATER_THAN_OR_EQUAL: '>=', LESS_THAN: '<', LESS_THAN_OR_EQUAL: '<=', EQUAL: '=' };
  return {
    ...Object.fromEntries(
      Object.entries(attributes).map(([name, each]) => [name, each.AttributeType === 'EXCLUSIVE' ? [{ 'anything-but': each.Values }] : each.Values]),
    ),
    ...Object.fromEntries(Object.entries(metrics).map(([name, each]) => [name, [{ numeric: [numeric[each.ComparisonOperator] ?? '=', each.Value] }]])),
  };
}

function trigger(journey: JourneyResponse, context: JourneyContext, issues: Issue[]): Trigger {
  const start = journey.StartCondition;
  const segmentName = (id: string) => {
    const name = context.segmentNames.get(id);
    if (!name) issues.push(blocking('StartCondition', `segment ${id} is not in the export`));
    else if (!context.segments(id)) issues.push(blocking('StartCondition', `segment ${name} could not be translated (see its report)`));
    return name;
  };
  if (start?.SegmentStartCondition) {
    const name = segmentName(start.SegmentStartCondition.SegmentId) ?? 'missing-segment';
    const schedule = journey.RefreshFrequency ? rateFromIso(journey.RefreshFrequency) : undefined;
    if (journey.RefreshFrequency && !schedule) issues.push(blocking('RefreshFrequency', `${journey.RefreshFrequency} is not whole minutes, hours or days`));
    if (!journey.RefreshFrequency)
      issues.push(note('StartCondition', 'Pinpoint entered the segment once: launch it with lifecycle journey launch, or give the trigger a schedule'));
    return { segment: name, ...(schedule && { schedule }) };
  }
  const filter = start?.EventStartCondition?.EventFilter?.Dimensions;
  if (filter) {
    const types = filter.EventType?.Values ?? [];
    const events = types.map((type) => ({ type, event: catalogEvent(type) }));
    for (const { type, event } of events)
      if (!event)
        issues.push(blocking('StartCondition', `event ${type} has no counterpart in the event catalog; choose the catalog event that means the same`));
    const known = [...new Set(events.flatMap(({ event }) => (event ? [event] : [])))];
    if (filter.EventType?.DimensionType === 'EXCLUSIVE')
      issues.push(blocking('StartCondition', 'starts on every event but some: a trigger here names the events that start it'));
    if (known.length === 0 || known.length > 5) {
      if (known.length > 5) issues.push(blocking('StartCondition', 'more than 5 events start it'));
      return { manual: true };
    }
    const data = eventFilter(filter.Attributes ?? {}, filter.Metrics ?? {});
    if (Object.keys(data).length > 0)
      issues.push(note('StartCondition', `filters on the event's ${Object.keys(data).join(', ')}: check that ${known.join(', ')} carries them in its data`));
    const segmentId = start?.EventStartCondition?.SegmentId;
    const profile: Condition | undefined = segmentId ? context.segments(segmentId) : undefined;
    // Reports why the segment is missing.
    if (segmentId && !profile) segmentName(segmentId);
    return { event: known.length === 1 ? known[0] : known, ...(Object.keys(data).length > 0 && { filter: data }), ...(profile && { profile }) };
  }
  issues.push(note('StartCondition', 'no start condition: the journey starts only when launched'));
  return { manual: true };
}

function limits(
  journey: JourneyResponse,
  steps: readonly Step[],
  issues: Issue[],
): { entry: { reentry: unknown }; frequencyCap?: { max: number; windowDays: number } } {
  const given = journey.Limits ?? {};
  let reentry: unknown = 'never';
  const cap = given.EndpointReentryCap;
  if (cap === 0 || (cap !== undefined && cap > 1)) {
    const interval = given.EndpointReentryInterval ? durationFromIso(given.EndpointReentryInterval) : undefined;
    if (given.EndpointReentryInterval && !interval)
      issues.push(blocking('Limits.EndpointReentryInterval', `${given.EndpointReentryInterval} is not whole minutes, hours, days or weeks`));
    reentry = interval ? { after: interval } : 'always';
    if (cap > 1) issues.push(blocking('Limits.EndpointReentryCap', `at most ${cap} entries: re-entry here is never, always or after a time, without a count`));
  }
  let frequencyCap: { max: number; windowDays: number } | undefined;
  const timeframe = given.TimeframeCap;
  if (timeframe?.Cap && timeframe.Days) frequencyCap = { max: timeframe.Cap, windowDays: timeframe.Days };
  if (given.DailyCap) {
    if (frequencyCap) issues.push(blocking('Limits.DailyCap', 'a journey here has one frequency cap; the timeframe cap was kept'));
    else frequencyCap = { max: given.DailyCap, windowDays: 1 };
  }
  const sends = allSteps(steps).filter((step) => 'send' in step).length;
  if (given.TotalCap && (reentry !== 'never' || sends > given.TotalCap))
    issues.push(blocking('Limits.TotalCap', `at most ${given.TotalCap} messages per participant in all: not enforced here`));
  if (given.MessagesPerSecond)
    issues.push(note('Limits.MessagesPerSecond', `${given.MessagesPerSecond} a second: the sending rate is the stack's (-c maxSendRate)`));
  return { entry: { reentry }, ...(frequencyCap && { frequencyCap }) };
}

function settingsNotes(journey: JourneyResponse, issues: Issue[]): void {
  const quiet = journey.QuietTime;
  if (quiet?.Start && quiet.End)
    issues.push(
      note(
        'QuietTime',
        `${quiet.Start}-${quiet.End}: quiet hours are the stack's, in each customer's time zone; deploy with -c quietHours=${quiet.Start}-${quiet.End} to keep them`,
      ),
    );
  if (journey.OpenHours) issues.push(blocking('OpenHours', 'sending only in open hours has no counterpart (quiet hours are the stack-wide one)'));
  if (journey.ClosedDays) issues.push(blocking('ClosedDays', 'closed days have no counterpart'));
  if (journey.Schedule?.EndTime)
    issues.push(note('Schedule.EndTime', `Pinpoint ended the journey at ${journey.Schedule.EndTime}: here it runs until it is removed`));
  if (journey.State && journey.State !== 'ACTIVE') issues.push(note('State', `the journey was ${journey.State} in Pinpoint`));
}

/** A journey definition needs a step; one that holds out no one does nothing, in a file marked not deployable. */
const NOTHING: Step = { id: 'nothing-translated', holdout: { percent: 0 } };

export function translateJourney(journey: JourneyResponse, context: JourneyContext, taken: Set<string>): TranslatedJourney {
  const base = kebabName(journey.Name, 41, 'journey');
  // Journey names have at least two characters.
  const name = unique(base.length >= 2 ? base : `journey-${base}`.replace(/-$/, ''), taken, 41);
  const walked = journeySteps(journey, context);
  const issues: Issue[] = [...walked.issues];
  const start = trigger(journey, context, issues);
  const { entry, frequencyCap } = limits(journey, walked.steps, issues);
  settingsNotes(journey, issues);
  if (walked.steps.length === 0) issues.push(blocking('Activities', 'no activity could be translated'));
  const notDeployable = issues.filter((issue) => issue.blocking).map(describeIssue);
  const definition = {
    name,
    version: 1,
    description: `Imported from the Pinpoint journey "${journey.Name.slice(0, 300)}" (${journey.Id}).`,
    trigger: start,
    entry,
    ...(frequencyCap && { frequencyCap }),
    ...(notDeployable.length > 0 && { notDeployable }),
    steps: walked.steps.length > 0 ? walked.steps : [NOTHING],
  };
  const parsed = JourneyDefinition.safeParse(definition);
  if (!parsed.success)
    return {
      source: journey,
      name,
      issues: [...issues, ...parsed.error.issues.map((issue) => blocking(issue.path.join('.') || 'journey', `not written: ${issue.message}`))],
    };
  return { source: journey, name, definition, issues };
}
