/**
 * Journey membership: one item per customer and journey, holding the active run. Entering is a
 * conditional write that enforces the entry rules — at most one active run per customer, and
 * re-entry never, always, or after a cooldown — so duplicate triggers and concurrent launches
 * start one run at most. The events that started the latest runs are kept too: an event delivered
 * twice (or redriven from a dead-letter queue) never starts a second run, even of a journey that
 * may be entered again at any time.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { customerItems } from '../profile/customer-items.ts';
import type { StoreDeps } from '../profile/store.ts';
import { MEMBERSHIP_SK_PREFIX, membershipKey } from '../profile/table-design.ts';
import { durationSeconds } from './definition.ts';

export type Reentry = 'never' | 'always' | { readonly after: string };

export interface Membership {
  readonly activeRunId?: string;
  readonly activeVersion?: number;
  readonly lastEnteredAt?: string;
  readonly lastExitedAt?: string;
  readonly lastOutcome?: string;
  readonly runs?: number;
  /** The trigger events of the latest runs (event-triggered runs only), oldest first. */
  readonly triggers?: readonly string[];
}

/** A participant's progress on the membership item (participant.ts), as expression names: some are words DynamoDB reserves. */
export const PARTICIPANT_NAMES = { '#run': 'run', '#at': 'at', '#waiting': 'waiting', '#seq': 'seq', '#steps': 'steps', '#uncounted': 'uncounted' } as const;

export type EntryRefusal = 'already-active' | 'reentry-never' | 'cooling-down' | 'same-trigger';

/** How many trigger events a membership remembers: far more than a customer's runs in a redrive's reach. */
const REMEMBERED_TRIGGERS = 20;

export async function readMembership(deps: StoreDeps, customerId: string, journey: string): Promise<Membership | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: membershipKey(customerId, journey), ConsistentRead: true }));
  return Item as Membership | undefined;
}

/** The journeys the customer has a membership of: live, retired or renamed since. */
export async function journeysOf(deps: StoreDeps, customerId: string): Promise<string[]> {
  const items = await customerItems(deps, customerId, { prefix: MEMBERSHIP_SK_PREFIX, attributes: ['sk'] });
  return items.map((item) => String(item.sk).slice(MEMBERSHIP_SK_PREFIX.length));
}

/** Why the customer may not enter now, judged from their membership; undefined when they may. */
export function entryRefusal(
  membership: Membership | undefined,
  reentry: Reentry,
  now: number,
  runId?: string,
  triggerEventId?: string,
): EntryRefusal | undefined {
  if (!membership) return undefined;
  if (membership.activeRunId !== undefined) return membership.activeRunId === runId ? undefined : 'already-active';
  if (triggerEventId !== undefined && membership.triggers?.includes(triggerEventId)) return 'same-trigger';
  if (reentry === 'never' && membership.lastEnteredAt !== undefined) return 'reentry-never';
  if (typeof reentry === 'object' && membership.lastExitedAt !== undefined && Date.parse(membership.lastExitedAt) + durationSeconds(reentry.after) * 1000 > now)
    return 'cooling-down';
  return undefined;
}

/**
 * Enters the customer as `runId`. Returns undefined when entered (or already entered by this same
 * run, on a retry), else the refusal.
 */
export async function enter(
  deps: StoreDeps,
  customerId: string,
  journey: string,
  version: number,
  runId: string,
  reentry: Reentry,
  now: Date,
  triggerEventId?: string,
): Promise<EntryRefusal | undefined | 'entered-before'> {
  const membership = await readMembership(deps, customerId, journey);
  if (membership?.activeRunId === runId) return 'entered-before';
  const refusal = entryRefusal(membership, reentry, now.getTime(), runId, triggerEventId);
  if (refusal) return refusal;
  const triggers = triggerEventId === undefined ? undefined : [...(membership?.triggers ?? []), triggerEventId].slice(-REMEMBERED_TRIGGERS);
  try {
    await deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: membershipKey(customerId, journey),
        UpdateExpression: `SET kind = :kind, activeRunId = :run, activeVersion = :version, lastEnteredAt = :now${triggers ? ', triggers = :triggers' : ''} ADD runs :one`,
        // Whatever was read must still hold: nobody entered or left in between.
        ConditionExpression: membership
          ? 'attribute_not_exists(activeRunId) AND (attribute_not_exists(lastExitedAt) OR lastExitedAt = :lastExited)'
          : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: {
          ':kind': 'membership',
          ':run': runId,
          ':version': version,
          ':now': now.toISOString(),
          ':one': 1,
          ...(triggers && { ':triggers': triggers }),
          ...(membership && { ':lastExited': membership.lastExitedAt ?? '' }),
        },
      }),
    );
    return undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'already-active';
    throw error;
  }
}

/** Ends the run; false when it was not the active run (ended before, on a retry). */
export async function leave(deps: StoreDeps, customerId: string, journey: string, runId: string, outcome: string, now: Date): Promise<boolean> {
  try {
    await deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: membershipKey(customerId, journey),
        // The participant's progress goes with the run.
        UpdateExpression: 'REMOVE activeRunId, activeVersion, #run, #at, #waiting, #seq, #steps, #uncounted SET lastExitedAt = :now, lastOutcome = :outcome',
        ConditionExpression: 'activeRunId = :run',
        ExpressionAttributeNames: PARTICIPANT_NAMES,
        ExpressionAttributeValues: { ':run': runId, ':now': now.toISOString(), ':outcome': outcome },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
