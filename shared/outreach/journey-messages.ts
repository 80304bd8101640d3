/**
 * Messages per journey step: the sender counts a send, a skip (by its reason) and a deferral,
 * feedback counts the first delivery, open and click of each message, on the journey's metrics
 * (see shared/journeys/metrics.ts).
 */
import type { SkipReason } from '../events/types/system.ts';
import { addCounters, messageCounter, type MessageCounter } from '../journeys/metrics.ts';
import type { StoreDeps } from '../profile/store.ts';

export interface MessageOrigin {
  readonly journey?: string;
  readonly version?: number;
  readonly step?: string;
}

export async function countJourneyMessage(deps: StoreDeps, origin: MessageOrigin | undefined, kind: MessageCounter): Promise<void> {
  if (!origin?.journey || origin.version === undefined || !origin.step) return;
  await addCounters(deps, origin.journey, origin.version, [messageCounter(kind, origin.step)]);
}

export function skippedCounter(reason: SkipReason): MessageCounter {
  return `skipped.${reason}`;
}
