/**
 * Where a participant is in a journey: a path into the tree of steps. `[2]` is the third step;
 * `[2, 'then', 0]` the first step of its `then` list (a branch, or a waited-for event that came);
 * `[3, 'variant:B', 1]` the second step of variant B of a split. After the last step of a nested
 * list the participant goes on after the step that holds it.
 */
import type { Step } from './definition.ts';

export type Position = readonly (number | string)[];

/** The list of steps a nested key names inside a step. */
function listIn(step: Step | undefined, key: string): readonly Step[] {
  if (!step) return [];
  if ('branch' in step) return key === 'then' ? step.branch.then : key === 'else' ? (step.branch.else ?? []) : [];
  if ('waitForEvent' in step) return key === 'then' ? (step.waitForEvent.then ?? []) : key === 'else' ? (step.waitForEvent.else ?? []) : [];
  if ('split' in step && key.startsWith('variant:')) return step.split.variants.find((variant) => variant.name === key.slice('variant:'.length))?.steps ?? [];
  return [];
}

/** The list a position's step belongs to. */
function listOf(steps: readonly Step[], position: Position): readonly Step[] {
  let list = steps;
  for (let depth = 0; depth < position.length - 1; depth += 2) {
    list = listIn(list[Number(position[depth])], String(position[depth + 1]));
  }
  return list;
}

/** The step at a position, or undefined past the end of the journey. */
export function stepAt(steps: readonly Step[], position: Position): Step | undefined {
  return listOf(steps, position)[Number(position.at(-1))];
}

/** The position after the step at `position`, climbing out of nested lists that are done; undefined at the end. */
export function after(steps: readonly Step[], position: Position): Position | undefined {
  const next = [...position.slice(0, -1), Number(position.at(-1)) + 1];
  if (stepAt(steps, next)) return next;
  if (next.length === 1) return undefined;
  return after(steps, next.slice(0, -2));
}

/** The first step of a nested list (`then`, `else`, `variant:<name>`), or what follows the step when that list is empty. */
export function into(steps: readonly Step[], position: Position, key: string): Position | undefined {
  const nested = [...position, key, 0];
  return stepAt(steps, nested) ? nested : after(steps, position);
}
