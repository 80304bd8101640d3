/**
 * The shapes of the condition language, as TypeScript sees them. One key decides a condition's
 * form (`all`, `counter`, `stage`, …); comparisons sit beside it as flat siblings
 * (`{ counter: 'orders', gte: 2 }`), exactly one per condition. The zod schema that checks files
 * against these shapes is in condition.ts.
 */
import type { Topic } from '../events/fields.ts';
import type { Counters } from '../profile/profile.ts';
import type { Stage } from '../stages/stages.ts';

/** Exactly one of T's keys, the others absent: `{ gt: 1 }` or `{ lt: 5 }`, never both. */
export type ExactlyOne<T> = {
  [K in keyof T]: { readonly [P in K]: T[P] } & { readonly [P in Exclude<keyof T, K>]?: never };
}[keyof T];

export const NUMERIC_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'equals'] as const;
export type NumericOperator = (typeof NUMERIC_OPERATORS)[number];

/** Revenue sums prices, so it is compared by range only: equality on money invites rounding surprises. */
export const RANGE_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;
export type RangeOperator = (typeof RANGE_OPERATORS)[number];

export type NumberComparison = ExactlyOne<Record<NumericOperator, number>>;
export type RangeComparison = ExactlyOne<Record<RangeOperator, number>>;

/** A value an attribute condition compares with; profile attributes are scalars. */
export type ScalarValue = string | number | boolean;

export const ATTRIBUTE_OPERATORS = ['equals', 'notEquals', 'in', 'exists', 'gt', 'gte', 'lt', 'lte', 'contains'] as const;
export type AttributeComparison = ExactlyOne<{
  equals: ScalarValue;
  notEquals: ScalarValue;
  in: readonly ScalarValue[];
  exists: boolean;
  gt: number;
  gte: number;
  lt: number;
  lte: number;
  contains: string;
}>;

export const WINDOW_KEYS = ['withinDays', 'olderThanDays'] as const;
/** How long ago something happened: at most `withinDays`, or more than `olderThanDays`. */
export type DaysWindow = ExactlyOne<{ withinDays: number; olderThanDays: number }>;

export const COUNTERS = ['events', 'orders', 'supportRequests'] as const satisfies readonly (keyof Counters)[];
export type CounterName = (typeof COUNTERS)[number];

export type AllCondition = { readonly all: readonly Condition[] };
export type AnyCondition = { readonly any: readonly Condition[] };
export type NotCondition = { readonly not: Condition };
export type StageCondition = { readonly stage: Stage | readonly Stage[] };
export type AttributeCondition = { readonly attribute: string } & AttributeComparison;
export type CounterCondition = { readonly counter: CounterName } & NumberComparison;
export type ScoreCondition = { readonly score: string } & NumberComparison;
export type RevenueCondition = { readonly revenue: string } & RangeComparison;
export type LastActiveCondition = { readonly lastActive: DaysWindow };
export type FirstSeenCondition = { readonly firstSeen: DaysWindow };
export type ConsentCondition = { readonly consent: Topic | 'any' };
export type LocaleCondition = { readonly locale: string | readonly string[] };
export type TagCondition = { readonly tag: string };
/** Journeys only: events of a detail-type since the customer entered the journey (at least one without `count`). */
export type EventCondition = { readonly event: string; readonly count?: NumberComparison };

export type Condition =
  | AllCondition
  | AnyCondition
  | NotCondition
  | StageCondition
  | AttributeCondition
  | CounterCondition
  | ScoreCondition
  | RevenueCondition
  | LastActiveCondition
  | FirstSeenCondition
  | ConsentCondition
  | LocaleCondition
  | TagCondition
  | EventCondition;

/** The keys that decide a condition's form; a condition has exactly one of them. */
export const CONDITION_FORMS = [
  'all',
  'any',
  'not',
  'stage',
  'attribute',
  'counter',
  'score',
  'revenue',
  'lastActive',
  'firstSeen',
  'consent',
  'locale',
  'tag',
  'event',
] as const;
export type ConditionForm = (typeof CONDITION_FORMS)[number];
