/**
 * The condition language that segments (who is in) and journey `branch` steps (which way a
 * customer goes) share. This module is its public face: the zod schema `Condition` that checks a
 * condition written in YAML, JSON or TypeScript, and — re-exported — the evaluator and the
 * helpers that analyse and describe a condition.
 *
 * @example
 * const parsed = Condition.safeParse({ all: [{ stage: 'retain' }, { counter: 'orders', gte: 2 }] });
 * if (!parsed.success) throw new Error(formatIssues(parsed.error.issues).join('; '));
 * evaluate(parsed.data, { profile, now: Date.now(), consentMode: 'opt-in' });
 */
import * as z from 'zod';
import { DETAIL_TYPES, isDetailType } from '../events/catalog.ts';
import { TOPICS, currency, line, locale } from '../events/fields.ts';
import { STAGES } from '../stages/stages.ts';
import { chosen, exactlyOneOf, oneOrList, orList, strictForm } from '../definitions/schema-helpers.ts';
import {
  ATTRIBUTE_OPERATORS,
  CONDITION_FORMS,
  COUNTERS,
  NUMERIC_OPERATORS,
  RANGE_OPERATORS,
  WINDOW_KEYS,
  type Condition as ConditionShape,
  type ConditionForm,
} from './types.ts';

export { CONDITION_FORMS, COUNTERS } from './types.ts';
export type {
  AttributeComparison,
  ConditionForm,
  CounterName,
  DaysWindow,
  EventCondition,
  NumberComparison,
  RangeComparison,
  ScalarValue,
} from './types.ts';
export { evaluate, type ConditionContext } from './evaluate.ts';
export { eventConditionPaths, requiredStages, usesEvents, type ConditionPath } from './analyze.ts';
export { describe } from './describe.ts';
export { formatIssues, formatPath } from './issues.ts';

/** A condition: exactly one form key (see types.ts), with the keys that form takes. */
export type Condition = ConditionShape;

// The same rule as attribute names in profile.updated events: a condition can only name an
// attribute an event could have set.
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const nested: z.ZodType<Condition> = z.lazy(() => Condition);
const conditions = z.array(nested, { error: 'must be a list of conditions' }).min(1, { error: 'must list at least one condition' });

const number = z.number({ error: 'must be a number' });
const days = z
  .number({ error: 'must be a whole number of days' })
  .int({ error: 'must be a whole number of days' })
  .min(1, { error: 'must be at least 1 day' })
  .max(36_500, { error: 'must be at most 36,500 days' });
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, a number or true/false' });

const stage = z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` });
const counter = z.enum(COUNTERS, { error: `must be one of ${COUNTERS.join(', ')}` });
const consentTopic = z.enum([...TOPICS, 'any'], { error: `must be one of ${[...TOPICS, 'any'].join(', ')}` });
const attributeName = z
  .string({ error: 'must be an attribute name' })
  .regex(ATTRIBUTE_NAME, { error: 'must be 1-64 letters, digits or _ starting with a letter' });
const detailType = z.string({ error: 'must be a detail-type' }).refine(isDetailType, {
  error: `must be a detail-type of the catalog (${DETAIL_TYPES.slice(0, 3).join(', ')}, …)`,
});

/** gt/gte/lt/lte/equals as optional siblings; `exactlyOneOf` then insists on one. */
const rangeComparisons = { gt: number.optional(), gte: number.optional(), lt: number.optional(), lte: number.optional() };
const numericComparisons = { ...rangeComparisons, equals: number.optional() };

const daysWindow = exactlyOneOf(strictForm('a time window', { withinDays: days.optional(), olderThanDays: days.optional() }), WINDOW_KEYS, 'time window');

/** The strict object of one form; its unknown-key message names the form. */
const form = <Shape extends z.core.$ZodLooseShape>(name: ConditionForm, shape: Shape) =>
  strictForm(`${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name} condition`, shape);

const FORM_SCHEMAS: Record<ConditionForm, z.ZodType> = {
  all: form('all', { all: conditions }),
  any: form('any', { any: conditions }),
  not: form('not', { not: nested }),
  stage: form('stage', { stage: oneOrList(stage) }),
  attribute: exactlyOneOf(
    form('attribute', {
      attribute: attributeName,
      equals: scalar.optional(),
      notEquals: scalar.optional(),
      in: z.array(scalar, { error: 'must be a list of values' }).min(1, { error: 'must list at least one value' }).optional(),
      exists: z.boolean({ error: 'must be true or false' }).optional(),
      ...rangeComparisons,
      contains: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
    }),
    ATTRIBUTE_OPERATORS,
    'comparison',
  ),
  counter: exactlyOneOf(form('counter', { counter, ...numericComparisons }), NUMERIC_OPERATORS, 'comparison'),
  score: exactlyOneOf(form('score', { score: line(64), ...numericComparisons }), NUMERIC_OPERATORS, 'comparison'),
  revenue: exactlyOneOf(form('revenue', { revenue: currency, ...rangeComparisons }), RANGE_OPERATORS, 'comparison'),
  lastActive: form('lastActive', { lastActive: daysWindow }),
  firstSeen: form('firstSeen', { firstSeen: daysWindow }),
  consent: form('consent', { consent: consentTopic }),
  locale: form('locale', { locale: oneOrList(locale) }),
  // Tags may be stored as one comma-separated string, so a tag with a comma could never match.
  tag: form('tag', { tag: line(100).regex(/^[^,]*$/, { error: 'must not contain a comma' }) }),
  event: form('event', {
    event: detailType,
    count: exactlyOneOf(strictForm('a count', numericComparisons), NUMERIC_OPERATORS, 'comparison').optional(),
  }),
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Chooses the form's schema by the one form key present, or says why there is no single one. */
function formSchema(value: unknown): z.ZodType | string {
  if (value === undefined) return 'is required';
  if (!isRecord(value)) return `must be a condition: an object with one of ${orList([...CONDITION_FORMS])}`;
  const forms = CONDITION_FORMS.filter((form) => Object.hasOwn(value, form));
  const [form, ...others] = forms;
  if (form === undefined) {
    const found = Object.keys(value);
    return `must have one of the keys ${orList([...CONDITION_FORMS])}${found.length > 0 ? ` (found ${found.join(', ')})` : ''}`;
  }
  if (others.length > 0) return `has ${forms.length} forms (${forms.join(', ')}); write each as its own condition inside all or any`;
  return FORM_SCHEMAS[form];
}

/**
 * The zod schema of a condition. Each form is a strict object, comparisons need exactly one
 * operator, and every message names what is wrong; the zod path says where (`all[1].counter`).
 */
export const Condition: z.ZodType<Condition> = chosen<Condition>((value) => {
  const schema = formSchema(value);
  // Each form's schema checks exactly the shape of its member of the Condition union (strict
  // keys, exactly one comparison), which zod's inferred types cannot say; hence the widening.
  return schema as z.ZodType<Condition> | string;
});
