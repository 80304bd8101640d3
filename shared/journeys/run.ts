/**
 * What a participant carries from step to step: the run. The runtime's actions read it, and the
 * engine keeps it on the participant's membership item between wake-ups.
 */
import { createHash } from 'node:crypto';

export interface Run {
  readonly journey: string;
  readonly version: number;
  /** Unique per run: named after the trigger event, or the launch and the customer. */
  readonly runId: string;
  readonly customerId: string;
  readonly enteredAt: string;
  readonly holdout: boolean;
  readonly variant?: string;
  /** The event that started the run, for event-triggered journeys. */
  readonly trigger?: { readonly detailType: string; readonly eventId: string; readonly data: unknown };
  readonly launchId?: string;
}

/** A number in [0, 100) from the run and a step: the same every time, spread evenly across runs. */
export function bucket(runId: string, stepId: string): number {
  const digest = createHash('sha256').update(`${runId}:${stepId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

/** The variant a run takes at a split, by the variants' percentages in order. */
export function chooseVariant(runId: string, stepId: string, variants: readonly { name: string; percent: number }[]): string {
  const roll = bucket(runId, stepId);
  let upTo = 0;
  for (const variant of variants) {
    upTo += variant.percent;
    if (roll < upTo) return variant.name;
  }
  return variants.at(-1)?.name ?? '';
}
