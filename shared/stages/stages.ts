/**
 * The six lifecycle stages, after Forrester's customer life cycle. A customer is in exactly one.
 * `support` is temporary: it remembers the stage to return to when the last request is resolved.
 */
export const STAGES = ['discover', 'research', 'buy', 'use', 'support', 'retain'] as const;
export type Stage = (typeof STAGES)[number];

/** The stages a customer progresses through, in order; `support` sits outside the progression. */
export const PROGRESSION = ['discover', 'research', 'buy', 'use', 'retain'] as const satisfies readonly Stage[];
export type ProgressionStage = (typeof PROGRESSION)[number];

/** Where a new customer starts before their first event is applied. */
export const ENTRY_STAGE: ProgressionStage = 'discover';

export function isProgressionStage(stage: Stage): stage is ProgressionStage {
  return stage !== 'support';
}

/** Position in the progression; comparing two ranks tells forward from backward. */
export function rank(stage: ProgressionStage): number {
  return PROGRESSION.indexOf(stage);
}
