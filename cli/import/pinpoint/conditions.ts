/**
 * Pinpoint's segment dimensions and segment groups as this system's condition language. Endpoint
 * `Attributes`, `User.UserAttributes` and `Metrics` were imported as profile attributes under the
 * same names (names.ts), so a dimension on one becomes an attribute condition; recency becomes
 * `lastActive`; the channel becomes the address attribute the import keeps for it. Device
 * dimensions, GPS areas and date comparisons have no counterpart: they are blocking issues.
 */
import type { Condition } from '#shared/conditions/condition.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { blocking, note, type Issue, type Translated } from './issues.ts';
import { attributeName } from './names.ts';
import type { SegmentDimensions, SegmentGroup } from './shapes.ts';

/** Everyone: every customer is in one of the stages. */
export const EVERYONE: Condition = { stage: [...STAGES] };

/** The conditions of the segments imported so far, by Pinpoint segment id. */
export type SegmentLookup = (segmentId: string) => Condition | undefined;

export function combine(kind: 'all' | 'any' | 'none', parts: readonly Condition[]): Condition | undefined {
  if (parts.length === 0) return undefined;
  const either: Condition = parts.length === 1 ? (parts[0] as Condition) : { any: parts };
  if (kind === 'none') return { not: either };
  if (parts.length === 1) return parts[0];
  return kind === 'all' ? { all: parts } : { any: parts };
}

const groupKind = (value: string | undefined): 'all' | 'any' | 'none' => (value === 'ANY' ? 'any' : value === 'NONE' ? 'none' : 'all');

/** An attribute dimension (`{ AttributeType, Values }`) on the attribute `name`. */
export function attributeCondition(name: string, type: string | undefined, values: readonly string[], at: string): Translated<Condition> {
  const attribute = attributeName(name);
  const equal: Condition = values.length === 1 ? { attribute, equals: values[0] as string } : { attribute, in: values };
  switch (type ?? 'INCLUSIVE') {
    case 'INCLUSIVE':
      return { value: equal, issues: [] };
    case 'EXCLUSIVE':
      return { value: { not: equal }, issues: [] };
    case 'CONTAINS':
      return {
        value: combine(
          'any',
          values.map((value) => ({ attribute, contains: value })),
        ) as Condition,
        issues: [],
      };
    default:
      return { issues: [blocking(at, `attribute ${name} compared ${type}: conditions here compare dates only as "last active" or "first seen"`)] };
  }
}

const METRIC_OPERATORS: Record<string, 'gt' | 'gte' | 'lt' | 'lte' | 'equals'> = {
  GREATER_THAN: 'gt',
  GREATER_THAN_OR_EQUAL: 'gte',
  LESS_THAN: 'lt',
  LESS_THAN_OR_EQUAL: 'lte',
  EQUAL: 'equals',
};

export function metricCondition(name: string, operator: string, value: number, at: string): Translated<Condition> {
  const comparison = METRIC_OPERATORS[operator];
  if (!comparison) return { issues: [blocking(at, `metric ${name}: unknown comparison ${operator}`)] };
  return { value: { attribute: attributeName(name), [comparison]: value } as unknown as Condition, issues: [] };
}

const RECENCY_DAYS: Record<string, number> = { HR_24: 1, DAY_7: 7, DAY_14: 14, DAY_30: 30 };

function recencyCondition(duration: string, type: string, at: string): Translated<Condition> {
  const days = RECENCY_DAYS[duration];
  if (!days) return { issues: [blocking(at, `recency ${duration} is not one Pinpoint documents`)] };
  const value: Condition = type === 'INACTIVE' ? { lastActive: { olderThanDays: days } } : { lastActive: { withinDays: days } };
  return { value, issues: [note(at, "recency: active here means the customer's latest recorded event, not an app session")] };
}

function channelCondition(type: string | undefined, channels: readonly string[], at: string): Translated<Condition> {
  const others = channels.filter((channel) => channel !== 'EMAIL');
  if (others.length === 0) return { issues: [note(at, 'channel EMAIL: this system sends email only, to customers with an address')] };
  const held = combine(
    'any',
    others.map((channel) => ({ attribute: `${channel.toLowerCase()}Address`, exists: true })),
  );
  const value = type === 'EXCLUSIVE' ? ({ not: held } as Condition) : (held as Condition);
  return { value, issues: [note(at, `channel ${others.join(', ')}: matched by the address the import kept as an attribute; nothing is sent on it`)] };
}

/** One SegmentDimensions object: all of its criteria hold. */
export function dimensionsCondition(dimensions: SegmentDimensions, at: string): Translated<Condition> {
  const parts: Translated<Condition>[] = [];
  for (const [name, dimension] of Object.entries({ ...dimensions.Attributes, ...dimensions.UserAttributes }))
    parts.push(attributeCondition(name, dimension.AttributeType, dimension.Values, `${at} attribute ${name}`));
  for (const [name, metric] of Object.entries(dimensions.Metrics ?? {}))
    parts.push(metricCondition(name, metric.ComparisonOperator, metric.Value, `${at} metric ${name}`));
  const recency = dimensions.Behavior?.Recency;
  if (recency) parts.push(recencyCondition(recency.Duration, recency.RecencyType, `${at} Behavior`));
  for (const [key, dimension] of Object.entries(dimensions.Demographic ?? {})) {
    if (key === 'Channel') parts.push(channelCondition(dimension.DimensionType, dimension.Values, `${at} Demographic.Channel`));
    else parts.push({ issues: [blocking(`${at} Demographic.${key}`, 'device data (app version, device type, make, model, platform) is not imported')] });
  }
  const country = dimensions.Location?.Country;
  if (country) parts.push(attributeCondition('country', country.DimensionType, country.Values, `${at} Location.Country`));
  if (dimensions.Location?.GPSPoint) parts.push({ issues: [blocking(`${at} Location.GPSPoint`, 'a distance from a point has no counterpart here')] });
  const value = combine(
    'all',
    parts.flatMap((part) => (part.value ? [part.value] : [])),
  );
  return { ...(value && { value }), issues: parts.flatMap((part) => part.issues) };
}

function groupCondition(group: SegmentGroup, lookup: SegmentLookup, at: string): Translated<Condition> {
  const issues: Issue[] = [];
  const sources = (group.SourceSegments ?? []).flatMap((source) => {
    const condition = lookup(source.Id);
    if (!condition) issues.push(blocking(at, `source segment ${source.Id} is not among the imported segments`));
    return condition ? [condition] : [];
  });
  const dimensions = (group.Dimensions ?? []).map((each, index) => dimensionsCondition(each, `${at} Dimensions[${index}]`));
  issues.push(...dimensions.flatMap((each) => each.issues));
  const filtered = combine(
    groupKind(group.Type),
    dimensions.flatMap((each) => (each.value ? [each.value] : [])),
  );
  const base = combine(group.SourceType === 'ANY' ? 'any' : 'all', sources);
  const value = combine(
    'all',
    [base, filtered].filter((part): part is Condition => part !== undefined),
  );
  return { ...(value && { value }), issues };
}

/** A segment's top-level dimensions and its groups, all of which must hold. */
export function segmentCondition(
  dimensions: SegmentDimensions | undefined,
  groups: { Groups?: SegmentGroup[]; Include?: string } | undefined,
  lookup: SegmentLookup,
): Translated<Condition> {
  const top = dimensions ? dimensionsCondition(dimensions, 'Dimensions') : { issues: [] };
  const each = (groups?.Groups ?? []).map((group, index) => groupCondition(group, lookup, `SegmentGroups.Groups[${index}]`));
  const grouped = combine(
    groupKind(groups?.Include),
    each.flatMap((group) => (group.value ? [group.value] : [])),
  );
  const value =
    combine(
      'all',
      [top.value, grouped].filter((part): part is Condition => part !== undefined),
    ) ?? EVERYONE;
  return { value, issues: [...top.issues, ...each.flatMap((group) => group.issues)] };
}
