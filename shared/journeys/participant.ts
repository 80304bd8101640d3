/**
 * A participant's progress, kept on the membership item of its run (one item per customer and
 * journey): the run, where it is in the steps, what it waits for, and a sequence number that
 * every move increments. Each move is a conditional write on the sequence number it started
 * from, so two wake-ups at once (a schedule and an event) move a participant once; the other
 * finds the write refused and stops.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreDeps } from '../profile/store.ts';
import { membershipKey } from '../profile/table-design.ts';
import { PARTICIPANT_NAMES, readMembership } from './membership.ts';
import type { Position } from './position.ts';
import type { Run } from './run.ts';

export interface Waiting {
  readonly kind: 'time' | 'event';
  /** When the wait ends (the timeout, for an event). */
  readonly until: string;
  /** The one-time schedule that wakes the participant then: a wake-up must name it. */
  readonly schedule: string;
  readonly event?: string;
  readonly startedAt?: string;
}

export interface Participant {
  readonly run: Run;
  /** Where the participant goes on from; empty at the end of the steps. */
  readonly at: Position;
  readonly waiting?: Waiting;
  readonly seq: number;
  /** The steps taken so far, oldest first (the latest 30). */
  readonly steps?: readonly string[];
  /**
   * Steps reached since the run's first wait and not counted yet: they are counted with the run's
   * end, in the update that counts it, so that a move that waits again writes no counter.
   */
  readonly uncounted?: readonly string[];
}

/** How many steps taken a participant remembers: enough to tell an operator where it has been. */
export const REMEMBERED_STEPS = 30;

/** The participant of the customer's active run of a journey, if it has started. */
export async function readParticipant(deps: StoreDeps, customerId: string, journey: string): Promise<Participant | undefined> {
  const membership = (await readMembership(deps, customerId, journey)) as (Record<string, unknown> & { activeRunId?: string }) | undefined;
  if (!membership?.activeRunId || membership.seq === undefined) return undefined;
  const { run, at, waiting, seq, steps, uncounted } = membership as unknown as Participant;
  return run.runId === membership.activeRunId
    ? { run, at, ...(waiting && { waiting }), seq, ...(steps && { steps }), ...(uncounted && { uncounted }) }
    : undefined;
}

/**
 * Saves a move: `from` is the sequence number the move started from (none for a run's first
 * move). False when someone else moved the participant first, or the run has ended.
 */
export async function saveParticipant(deps: StoreDeps, participant: Participant, from: number | undefined): Promise<boolean> {
  const { run } = participant;
  try {
    await deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: membershipKey(run.customerId, run.journey),
        UpdateExpression: participant.waiting
          ? 'SET #run = :run, #at = :at, #waiting = :waiting, #seq = :seq, #steps = :steps, #uncounted = :uncounted'
          : 'SET #run = :run, #at = :at, #seq = :seq, #steps = :steps, #uncounted = :uncounted REMOVE #waiting',
        ConditionExpression: `activeRunId = :runId AND ${from === undefined ? 'attribute_not_exists(#seq)' : '#seq = :from'}`,
        ExpressionAttributeNames: PARTICIPANT_NAMES,
        ExpressionAttributeValues: {
          ':run': run,
          ':at': participant.at,
          ':seq': participant.seq,
          ':steps': (participant.steps ?? []).slice(-REMEMBERED_STEPS),
          ':uncounted': participant.uncounted ?? [],
          ':runId': run.runId,
          ...(participant.waiting && { ':waiting': participant.waiting }),
          ...(from !== undefined && { ':from': from }),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
