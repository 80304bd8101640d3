/** What a condition needs and implies, found without a profile: used to validate and to plan queries. */
import { STAGES, type Stage } from '../stages/stages.ts';
import type { Condition } from './types.ts';

/** A path into a condition, as zod reports it (`['all', 1, 'event']`). */
export type ConditionPath = readonly (string | number)[];

/** Where the condition uses `event` (the path of each `event` key), which needs journey context. */
export function eventConditionPaths(condition: Condition, at: ConditionPath = []): ConditionPath[] {
  if ('all' in condition) return condition.all.flatMap((part, index) => eventConditionPaths(part, [...at, 'all', index]));
  if ('any' in condition) return condition.any.flatMap((part, index) => eventConditionPaths(part, [...at, 'any', index]));
  if ('not' in condition) return eventConditionPaths(condition.not, [...at, 'not']);
  if ('event' in condition) return [[...at, 'event']];
  return [];
}

/** True when the condition (or any part of it) uses `event`, which needs journey context. */
export function usesEvents(condition: Condition): boolean {
  return eventConditionPaths(condition).length > 0;
}

/**
 * Stages the condition restricts to, when every match must be in one of them (top-level `stage`,
 * or inside `all`); undefined when any stage could match. Used to plan segment queries.
 *
 * `all` intersects the restrictions of its parts (an empty list: nothing can match); `any`
 * restricts only when every alternative does (to their union); `not` never restricts — kept
 * simple on purpose: a negated stage list is rare, and answering undefined (a scan) is always
 * correct.
 */
export function requiredStages(condition: Condition): readonly Stage[] | undefined {
  if ('stage' in condition) return inStageOrder(typeof condition.stage === 'string' ? [condition.stage] : condition.stage);
  if ('all' in condition) {
    const restricted = condition.all.map(requiredStages).filter((stages) => stages !== undefined);
    if (restricted.length === 0) return undefined;
    return STAGES.filter((stage) => restricted.every((stages) => stages.includes(stage)));
  }
  if ('any' in condition) {
    const alternatives = condition.any.map(requiredStages);
    if (alternatives.some((stages) => stages === undefined)) return undefined;
    return STAGES.filter((stage) => alternatives.some((stages) => stages?.includes(stage)));
  }
  return undefined;
}

/** Without duplicates, in the order of the stage model, so that plans are stable. */
function inStageOrder(stages: readonly Stage[]): Stage[] {
  return STAGES.filter((stage) => stages.includes(stage));
}
