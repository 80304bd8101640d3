/**
 * A Pinpoint journey's activities — a graph from `StartActivity` through each activity's next
 * ones — as this format's steps, a tree. Two paths that meet again are each given a copy of what
 * follows (with its own step ids), which is what happens to a participant either way.
 *
 * EMAIL → send; WAIT → wait (a duration); CONDITIONAL_SPLIT → branch (after a wait, when Pinpoint
 * evaluates later); MULTI_CONDITIONAL_SPLIT → branches nested in each other's else; RANDOM_SPLIT →
 * split, with the paths that end at once as a holdout (which is what they are); HOLDOUT → holdout.
 * Other channels' activities (SMS, PUSH, CUSTOM, contact center) are left out as blocking issues.
 */
import type { Condition } from '#shared/conditions/condition.ts';
import type { Topic } from '#shared/events/fields.ts';
import type { Step } from '#shared/journeys/definition.ts';
import type { SegmentLookup } from './conditions.ts';
import { durationFromIso } from './durations.ts';
import { splitCondition } from './journey-conditions.ts';
import { blocking, note, type Issue } from './issues.ts';
import { stepId, unique } from './names.ts';
import type { Activity, JourneyResponse, WaitTime } from './shapes.ts';

export interface TemplateRef {
  readonly name: string;
  /** What the template reads from the profile (`fromProfile` of the send step). */
  readonly fromProfile: Readonly<Record<string, string>>;
  /** Parts of it could not be translated: a journey that sends it cannot be deployed. */
  readonly blocked: boolean;
}

export interface StepContext {
  readonly segments: SegmentLookup;
  /** Imported templates by Pinpoint template name. */
  readonly templates: ReadonlyMap<string, TemplateRef>;
  readonly topic: Topic;
}

/** Stands in for a condition that could not be translated, in a journey marked not deployable. */
const UNTRANSLATED: Condition = { attribute: 'untranslatedCondition', exists: true };

const KNOWN = ['EMAIL', 'Wait', 'ConditionalSplit', 'MultiCondition', 'RandomSplit', 'Holdout'];

export function journeySteps(journey: JourneyResponse, context: StepContext): { steps: Step[]; issues: Issue[] } {
  const activities = journey.Activities ?? {};
  const issues: Issue[] = [];
  const ids = new Set<string>();

  const waitStep = (id: string, wait: WaitTime | undefined, at: string): Step[] => {
    if (wait?.WaitUntil) {
      issues.push(blocking(at, `waits until the fixed time ${wait.WaitUntil}: waits here are durations, times of day or a date in a profile attribute`));
      return [];
    }
    if (!wait?.WaitFor) return [];
    const duration = durationFromIso(wait.WaitFor);
    if (!duration) {
      issues.push(blocking(at, `the wait ${wait.WaitFor} is not whole minutes, hours, days or weeks`));
      return [];
    }
    return [{ id: unique(id, ids, 40), wait: { for: duration } }];
  };

  const branch = (id: string, condition: Condition, then: Step[], otherwise: Step[]): Step[] => {
    if (then.length > 0) return [{ id: unique(id, ids, 40), branch: { if: condition, then, ...(otherwise.length > 0 && { else: otherwise }) } }];
    if (otherwise.length > 0) return [{ id: unique(id, ids, 40), branch: { if: { not: condition }, then: otherwise } }];
    return [];
  };

  const from = (activityId: string | undefined, path: readonly string[]): Step[] => {
    if (!activityId) return [];
    const at = `activity "${activityId}"`;
    if (path.includes(activityId)) {
      issues.push(blocking(at, 'leads back to itself'));
      return [];
    }
    const activity: Activity | undefined = activities[activityId];
    if (!activity) {
      issues.push(blocking(at, 'is named as a next activity but not defined'));
      return [];
    }
    const next = (id: string | undefined) => from(id, [...path, activityId]);
    const base = stepId(activityId);

    if (activity.EMAIL) {
      const email = activity.EMAIL;
      const template = email.TemplateName ? context.templates.get(email.TemplateName) : undefined;
      if (!email.TemplateName) issues.push(blocking(at, 'an email activity without a template'));
      else if (template?.blocked) issues.push(blocking(at, `template ${template.name} has parts that could not be translated`));
      else if (!template) issues.push(note(at, `template ${email.TemplateName} is not in the export: journey check says whether it exists here`));
      if (email.MessageConfig?.FromAddress)
        issues.push(note(at, `sender ${email.MessageConfig.FromAddress}: every email here comes from the stack's senderAddress`));
      const name = template?.name ?? stepId(email.TemplateName ?? 'missing-template');
      const fromProfile = template?.fromProfile ?? {};
      const send: Step = {
        id: unique(base, ids, 40),
        send: {
          template: name,
          kind: 'marketing',
          topic: context.topic,
          ...(Object.keys(fromProfile).length > 0 && { personalize: { fromProfile: { ...fromProfile } } }),
        },
      };
      return [send, ...next(email.NextActivity)];
    }
    if (activity.Wait) return [...waitStep(base, activity.Wait.WaitTime, at), ...next(activity.Wait.NextActivity)];
    if (activity.Holdout) {
      const percent = activity.Holdout.Percentage;
      if (percent > 50) issues.push(blocking(at, `holds out ${percent}%: a holdout here is at most 50%`));
      return [...(percent <= 50 ? [{ id: unique(base, ids, 40), holdout: { percent } }] : []), ...next(activity.Holdout.NextActivity)];
    }
    if (activity.ConditionalSplit) {
      const split = activity.ConditionalSplit;
      const wait = waitStep(`${base}-wait`, split.EvaluationWaitTime, at);
      const condition = splitCondition(split.Condition?.Conditions ?? [], split.Condition?.Operator, context.segments, at);
      issues.push(...condition.issues);
      return [...wait, ...branch(base, condition.value ?? UNTRANSLATED, next(split.TrueActivity), next(split.FalseActivity))];
    }
    if (activity.MultiCondition) {
      const split = activity.MultiCondition;
      const wait = waitStep(`${base}-wait`, split.EvaluationWaitTime, at);
      const paths = (split.Branches ?? []).map((each, index) => {
        const condition = splitCondition(each.Condition ? [each.Condition] : [], 'ALL', context.segments, `${at} branch ${index + 1}`);
        issues.push(...condition.issues);
        return { condition: condition.value ?? UNTRANSLATED, steps: next(each.NextActivity) };
      });
      // The first path whose condition holds is taken; the default when none does.
      const nested = paths.reduceRight<Step[]>(
        (otherwise, path, index) => branch(index === 0 ? base : `${base}-${index + 1}`, path.condition, path.steps, otherwise),
        next(split.DefaultActivity),
      );
      return [...wait, ...nested];
    }
    if (activity.RandomSplit) return randomSplit(base, activity.RandomSplit.Branches ?? [], next, at);
    const kind = Object.keys(activity).find((key) => key !== 'Description') ?? 'empty';
    const body = (activity as Record<string, { NextActivity?: string } | undefined>)[kind];
    issues.push(blocking(at, KNOWN.includes(kind) ? 'is empty' : `sends by ${kind}, and this system sends email only`));
    return next(body?.NextActivity);
  };

  /**
   * Paths that end at once receive nothing more: together they are a holdout, drawn first; the
   * other paths share the rest in their proportions.
   */
  const randomSplit = (
    base: string,
    branches: readonly { NextActivity?: string; Percentage?: number }[],
    next: (id: string | undefined) => Step[],
    at: string,
  ): Step[] => {
    const paths = branches.map((each, index) => ({ name: `path-${index + 1}`, percent: each.Percentage ?? 0, steps: next(each.NextActivity) }));
    const ending = paths.filter((path) => path.steps.length === 0).reduce((sum, path) => sum + path.percent, 0);
    const going = paths.filter((path) => path.steps.length > 0);
    if (ending > 50) {
      issues.push(blocking(at, `paths that end at once take ${ending}%: as a holdout that is more than 50%`));
      return [];
    }
    const holdout: Step[] = ending > 0 ? [{ id: unique(`${base}-holdout`, ids, 40), holdout: { percent: ending } }] : [];
    if (ending > 0) issues.push(note(at, `the paths that end at once (${ending}%) are a holdout step, counted apart to measure the lift`));
    if (going.length === 0) return holdout;
    if (going.length === 1) return [...holdout, ...(going[0] as (typeof going)[number]).steps];
    const rest = 100 - ending;
    const shares = going.map((path) => Math.round((path.percent / rest) * 10_000) / 100);
    shares[shares.length - 1] = Math.round((100 - shares.slice(0, -1).reduce((sum, share) => sum + share, 0)) * 100) / 100;
    return [
      ...holdout,
      {
        id: unique(base, ids, 40),
        split: { variants: going.map((path, index) => ({ name: path.name, percent: shares[index] as number, steps: path.steps })) },
      },
    ];
  };

  if (!journey.StartActivity) issues.push(blocking('StartActivity', 'the journey names no first activity'));
  const steps = from(journey.StartActivity, []);
  return { steps, issues };
}
