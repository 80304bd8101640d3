/**
 * Every journey a customer has been in, from their membership items: the active run with where it
 * is and when it wakes, or how the latest run ended. For operators looking a customer up.
 */
import { customerItems } from '../profile/customer-items.ts';
import type { StoreDeps } from '../profile/store.ts';
import { MEMBERSHIP_SK_PREFIX } from '../profile/table-design.ts';
import type { Membership } from './membership.ts';
import type { Participant } from './participant.ts';

export interface CustomerJourney {
  readonly journey: string;
  readonly membership: Membership;
  /** The active run's progress, once its first move is saved. */
  readonly participant?: Participant;
}

export async function customerJourneys(deps: StoreDeps, customerId: string): Promise<CustomerJourney[]> {
  const items = await customerItems(deps, customerId, { prefix: MEMBERSHIP_SK_PREFIX });
  return items.map((item) => {
    const journey = String(item.sk).slice(MEMBERSHIP_SK_PREFIX.length);
    const { run, at, waiting, seq, steps } = item as Partial<Participant>;
    // As readParticipant judges it: the progress counts only while it belongs to the active run.
    const active = item.activeRunId !== undefined && run?.runId === item.activeRunId && seq !== undefined && at !== undefined;
    return {
      journey,
      membership: item as Membership,
      ...(active && { participant: { run, at, seq, ...(waiting && { waiting }), ...(steps && { steps }) } as Participant }),
    };
  });
}
