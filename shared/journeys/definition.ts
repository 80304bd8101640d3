/**
 * The journey format: one zod schema for journeys written as YAML, JSON or TypeScript modules
 * under `workflows/journeys/`. A journey has a trigger (an event, a segment, or manual launch
 * only), entry rules, exit rules (goal events that count as a conversion, leave events) and steps.
 */
import * as z from 'zod';
import { Condition } from '../conditions/condition.ts';
import { chosen, oneKeyOf, strictForm } from '../definitions/schema-helpers.ts';
import { isDetailType } from '../events/catalog.ts';
import { identifier, topic } from '../events/fields.ts';
import { SURVEY_KINDS } from '../events/types/retain.ts';
import { MESSAGE_KINDS } from '../events/types/system.ts';
import { Personalize } from '../outreach/request.ts';

/** `30m`, `1h`, `7d`, `2w`. */
export const durationText = z.string().regex(/^\d+(m|h|d|w)$/, { error: 'must be a duration such as 30m, 1h, 7d or 2w' });

const UNIT_SECONDS = { m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;

export function durationSeconds(text: string): number {
  const unit = text.slice(-1) as keyof typeof UNIT_SECONDS;
  return Number(text.slice(0, -1)) * UNIT_SECONDS[unit];
}

const detailType = z.string({ error: 'must be a detail-type' }).refine(isDetailType, { error: 'must be a detail-type of the event catalog' });
const stepId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'must be 1-40 lower-case letters, digits or -, starting with a letter' });
const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

/**
 * Template variables. A string starting with `$.` is a path into the run: `$.trigger.data` (the
 * event that started it), `$.variant`, `$.customerId`.
 */
const variables = z.record(z.string(), z.unknown());

/** A path into the run, filled in when the step runs: `$.trigger.data.items[*].productId`. */
const runPath = z.string().regex(/^\$\.[A-Za-z0-9_.[\]*]+$/, { error: 'must be a $. path into the run, such as $.trigger.data.orderId' });

const send = strictForm('a send step', {
  template: identifier,
  kind: z.enum(MESSAGE_KINDS),
  topic: topic.optional(),
  variables: variables.optional(),
  /**
   * Filled in by the sender at send time: `survey` links, `recommendations` (with `basedOn` a list
   * of product ids or a `$.` path to one, e.g. `$.trigger.data.items[*].productId`) and
   * `fromProfile` values.
   */
  personalize: Personalize.extend({
    survey: z.strictObject({ surveyId: z.union([identifier, runPath]), kind: z.enum(SURVEY_KINDS) }).optional(),
    recommendations: z
      .strictObject({
        basedOn: z.union([z.array(identifier).max(50), runPath]).optional(),
        limit: z.number().int().min(1).max(6).optional(),
      })
      .optional(),
  }).optional(),
});

const WAIT_FORMS = ['for', 'until', 'untilAttribute'] as const;

const WAIT_SCHEMAS = {
  for: strictForm('a wait for a duration', { for: durationText }),
  until: strictForm('a wait until a time of day', {
    until: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time of day such as 09:00' }),
  }),
  untilAttribute: strictForm('a wait until a date in a profile attribute', {
    untilAttribute: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'must name a profile attribute' }),
    /** Before (-3d) or after (+1d) the date the attribute holds. */
    offset: z
      .string()
      .regex(/^[+-]\d+(m|h|d|w)$/, { error: 'must look like -3d or +1h' })
      .optional(),
    /** How long to wait when the attribute holds no date. @default 1d */
    otherwise: durationText.optional(),
  }),
};

export type WaitSpec = { for: string } | { until: string } | { untilAttribute: string; offset?: string; otherwise?: string };

const wait = chosen<WaitSpec>((value) => {
  const form = oneKeyOf(value, WAIT_FORMS, 'a wait');
  return WAIT_FORMS.includes(form as never) ? (WAIT_SCHEMAS[form as (typeof WAIT_FORMS)[number]] as z.ZodType<WaitSpec>) : form;
});

type StepShape =
  | { id: string; send: z.output<typeof send> }
  | { id: string; wait: WaitSpec }
  | { id: string; waitForEvent: { event: string; timeout: string; then?: Step[]; else?: Step[] } }
  | { id: string; branch: { if: Condition; then: Step[]; else?: Step[] } }
  | { id: string; split: { variants: { name: string; percent: number; steps: Step[] }[] } }
  | { id: string; holdout: { percent: number } }
  | { id: string; updateProfile: { attributes: Record<string, z.output<typeof scalar>> } }
  | { id: string; emit: { detailType: string; data?: Record<string, unknown> } };
export type Step = StepShape;

export const STEP_KINDS = ['send', 'wait', 'waitForEvent', 'branch', 'split', 'holdout', 'updateProfile', 'emit'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const steps: z.ZodType<Step[]> = z.lazy(() => z.array(step, { error: 'must be a list of steps' }).min(1, { error: 'must hold at least one step' }));

const percent = z.number().min(0).max(100);

const STEP_BODIES: Record<StepKind, z.ZodType> = {
  send,
  wait,
  waitForEvent: strictForm('a waitForEvent step', { event: detailType, timeout: durationText, then: steps.optional(), else: steps.optional() }),
  branch: strictForm('a branch step', { if: Condition, then: steps, else: steps.optional() }),
  split: strictForm('a split step', {
    variants: z
      .array(strictForm('a variant', { name: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, { error: 'must be 1-20 letters, digits or -' }), percent, steps }))
      .min(2, { error: 'a split needs at least two variants' })
      .refine((variants) => Math.abs(variants.reduce((sum, variant) => sum + variant.percent, 0) - 100) < 1e-9, {
        error: 'variant percentages must add up to 100',
      }),
  }),
  holdout: strictForm('a holdout step', { percent: percent.max(50, { error: 'a holdout above 50% leaves too few to treat' }) }),
  updateProfile: strictForm('an updateProfile step', {
    attributes: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'must be 1-64 letters, digits or _ starting with a letter' }), scalar),
  }),
  emit: strictForm('an emit step', {
    detailType: z.string().regex(/^journey\.[a-z0-9.-]{1,80}$/, { error: 'custom events are named journey.<something>' }),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
};

/** A step is its id and one of the step kinds; the kind present chooses the schema, so errors point inside it. */
const step: z.ZodType<Step> = chosen<Step>((value) => {
  const kind = oneKeyOf(value, STEP_KINDS, 'a step', ['id']);
  if (!STEP_KINDS.includes(kind as StepKind)) return kind;
  return strictForm(`a ${kind} step`, { id: stepId, [kind]: STEP_BODIES[kind as StepKind] }) as unknown as z.ZodType<Step>;
});

const TRIGGER_FORMS = ['event', 'segment', 'manual'] as const;

const TRIGGER_SCHEMAS = {
  event: strictForm('an event trigger', {
    /** One detail-type, or a few that each start the journey (a cart left, a checkout left). */
    event: z.union([detailType, z.array(detailType).min(1, { error: 'must name at least one detail-type' }).max(5, { error: 'at most 5 detail-types' })]),
    /** An EventBridge pattern on the event's `detail.data`. */
    filter: z.record(z.string(), z.unknown()).optional(),
    /** Who may enter, by their profile at the time. */
    profile: Condition.optional(),
  }),
  segment: strictForm('a segment trigger', {
    segment: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, { error: 'must name a segment' }),
    schedule: z.string().optional(),
  }),
  manual: strictForm('a manual trigger', { manual: z.literal(true) }),
};

type Trigger = { event: string | string[]; filter?: Record<string, unknown>; profile?: Condition } | { segment: string; schedule?: string } | { manual: true };

/** The detail-types that start an event-triggered journey; none for the others. */
export function triggerEvents(trigger: Trigger): string[] {
  if (!('event' in trigger)) return [];
  return typeof trigger.event === 'string' ? [trigger.event] : trigger.event;
}

const trigger = chosen<Trigger>((value) => {
  const form = oneKeyOf(value, TRIGGER_FORMS, 'a trigger');
  return TRIGGER_FORMS.includes(form as never) ? (TRIGGER_SCHEMAS[form as (typeof TRIGGER_FORMS)[number]] as z.ZodType<Trigger>) : form;
});

export const JourneyDefinition = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, { error: 'must be 2-41 lower-case letters, digits or -, starting with a letter' }),
    version: z.number().int().min(1),
    description: z.string().min(1).max(500),
    trigger,
    entry: z.strictObject({ reentry: z.union([z.enum(['never', 'always']), z.strictObject({ after: durationText })]) }).default({ reentry: 'never' }),
    exit: z.strictObject({ goals: z.array(detailType).default([]), leave: z.array(detailType).default([]) }).default({ goals: [], leave: [] }),
    frequencyCap: z.strictObject({ max: z.number().int().min(1).max(100), windowDays: z.number().int().min(1).max(90) }).optional(),
    /**
     * What must be fixed before the journey may be deployed, one line each (an import writes it for
     * what it could not translate). While it is present the file is checked but not deployed:
     * synthesis leaves the journey out with a warning, and `lifecycle journey check` fails.
     */
    notDeployable: z.array(z.string().min(1).max(500)).min(1, { error: 'list what must be fixed, or remove the key' }).optional(),
    steps,
  })
  .superRefine((journey, context) => {
    const seen = new Set<string>();
    for (const each of allSteps(journey.steps)) {
      if (seen.has(each.id)) context.addIssue({ code: 'custom', message: `step id ${each.id} is used twice`, path: ['steps'] });
      seen.add(each.id);
    }
  });

export type JourneyDefinition = z.output<typeof JourneyDefinition>;

/** Every step, nested ones included, depth first. */
export function allSteps(list: readonly Step[]): Step[] {
  return list.flatMap((each) => [each, ...allSteps(childSteps(each))]);
}

/** The steps inside a step (branches, variants, the outcomes of waiting for an event). */
export function childSteps(each: Step): Step[] {
  if ('branch' in each) return [...each.branch.then, ...(each.branch.else ?? [])];
  if ('split' in each) return each.split.variants.flatMap((variant) => variant.steps);
  if ('waitForEvent' in each) return [...(each.waitForEvent.then ?? []), ...(each.waitForEvent.else ?? [])];
  return [];
}

/** The events that wake a journey's waiting participants: its goals, its leave events, and the events its steps wait for. */
export function eventsThatWake(journey: Pick<JourneyDefinition, 'exit' | 'steps'>): string[] {
  const waitedFor = allSteps(journey.steps).flatMap((step) => ('waitForEvent' in step ? [step.waitForEvent.event] : []));
  return [...new Set<string>([...journey.exit.goals, ...journey.exit.leave, ...waitedFor])];
}

/** Whether a journey's first step is a wait: nothing happens to the customer until it ends. */
export function waitsFirst(journey: Pick<JourneyDefinition, 'steps'>): boolean {
  const [first] = journey.steps;
  return first !== undefined && ('wait' in first || 'waitForEvent' in first);
}

/** Whether the journey holds some runs out of its messages (a holdout step), so that its lift can be measured. */
export function measuresLift(journey: Pick<JourneyDefinition, 'steps'>): boolean {
  return allSteps(journey.steps).some((each) => 'holdout' in each);
}
