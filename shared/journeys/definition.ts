/**
 * The journey format: one zod schema for journeys written as YAML, JSON or TypeScript modules
 * under `workflows/journeys/`. A journey has a trigger (an event, a segment, or manual launch
 * only), entry rules, exit rules (goal events that count as a conversion, leave events) and steps.
 */
import { z } from 'zod';
import { Condition } from '../conditions/condition.ts';
import { isDetailType } from '../events/catalog.ts';
import { identifier, topic } from '../events/fields.ts';
import { MESSAGE_KINDS } from '../events/types/system.ts';

/** `30m`, `1h`, `7d`, `2w`. */
export const durationText = z.string().regex(/^\d+(m|h|d|w)$/, { error: 'must be a duration such as 30m, 1h, 7d or 2w' });

const UNIT_SECONDS = { m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;

export function durationSeconds(text: string): number {
  const unit = text.slice(-1) as keyof typeof UNIT_SECONDS;
  return Number(text.slice(0, -1)) * UNIT_SECONDS[unit];
}

const detailType = z.string().refine(isDetailType, { error: 'must be a detail-type of the event catalog' });
const stepId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'must be 1-40 lower-case letters, digits or -, starting with a letter' });
const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

/**
 * Template variables. A string starting with `$.` is a path into the run: `$.trigger.data` (the
 * event that started it), `$.variant`, `$.customerId`.
 */
const variables = z.record(z.string(), z.unknown());

const send = z.strictObject({
  template: identifier,
  kind: z.enum(MESSAGE_KINDS),
  topic: topic.optional(),
  variables: variables.optional(),
});

const wait = z.union([
  z.strictObject({ for: durationText }),
  z.strictObject({ until: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time of day such as 09:00' }) }),
  z.strictObject({
    untilAttribute: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'must name a profile attribute' }),
    /** Before (-3d) or after (+1d) the date the attribute holds. */
    offset: z.string().regex(/^[+-]\d+(m|h|d|w)$/, { error: 'must look like -3d or +1h' }).optional(),
    /** How long to wait when the attribute holds no date. @default 1d */
    otherwise: durationText.optional(),
  }),
]);

export type WaitSpec = z.output<typeof wait>;

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

const steps: z.ZodType<Step[]> = z.lazy(() => z.array(step).min(1, { error: 'must hold at least one step' }));

const percent = z.number().min(0).max(100);

const step: z.ZodType<Step> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ id: stepId, send }),
      z.strictObject({ id: stepId, wait }),
      z.strictObject({ id: stepId, waitForEvent: z.strictObject({ event: detailType, timeout: durationText, then: steps.optional(), else: steps.optional() }) }),
      z.strictObject({ id: stepId, branch: z.strictObject({ if: Condition, then: steps, else: steps.optional() }) }),
      z.strictObject({
        id: stepId,
        split: z.strictObject({
          variants: z
            .array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9-]{1,20}$/), percent, steps }))
            .min(2, { error: 'a split needs at least two variants' })
            .refine((variants) => Math.abs(variants.reduce((sum, variant) => sum + variant.percent, 0) - 100) < 1e-9, { error: 'variant percentages must add up to 100' }),
        }),
      }),
      z.strictObject({ id: stepId, holdout: z.strictObject({ percent: percent.max(50, { error: 'a holdout above 50% leaves too few to treat' }) }) }),
      z.strictObject({ id: stepId, updateProfile: z.strictObject({ attributes: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), scalar) }) }),
      z.strictObject({
        id: stepId,
        emit: z.strictObject({
          detailType: z.string().regex(/^journey\.[a-z0-9.-]{1,80}$/, { error: 'custom events are named journey.<something>' }),
          data: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    ],
    { error: 'must be one step: send, wait, waitForEvent, branch, split, holdout, updateProfile or emit, with an id' },
  ),
);

const trigger = z.union([
  z.strictObject({
    event: detailType,
    /** An EventBridge pattern on the event's `detail.data`. */
    filter: z.record(z.string(), z.unknown()).optional(),
    /** Who may enter, by their profile at the time. */
    profile: Condition.optional(),
  }),
  z.strictObject({ segment: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), schedule: z.string().optional() }),
  z.strictObject({ manual: z.literal(true) }),
]);

export const JourneyDefinition = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, { error: 'must be 2-41 lower-case letters, digits or -, starting with a letter' }),
    version: z.number().int().min(1),
    description: z.string().min(1).max(500),
    trigger,
    entry: z.strictObject({ reentry: z.union([z.enum(['never', 'always']), z.strictObject({ after: durationText })]) }).default({ reentry: 'never' }),
    exit: z.strictObject({ goals: z.array(detailType).default([]), leave: z.array(detailType).default([]) }).default({ goals: [], leave: [] }),
    frequencyCap: z.strictObject({ max: z.number().int().min(1).max(100), windowDays: z.number().int().min(1).max(90) }).optional(),
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
