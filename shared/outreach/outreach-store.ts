/**
 * The outreach records in the profile store: one message item per message key (the claim that
 * makes each key send at most one email), the customer's outreach state (recent marketing sends
 * for the frequency cap, engagement counters) and one item per email address (suppression, soft
 * bounces). Each function is one DynamoDB call.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreDeps } from '../profile/store.ts';
import { customerItems } from '../profile/customer-items.ts';
import { MESSAGE_SK_PREFIX, addressKey, messageKey, outreachStateKey } from '../profile/table-design.ts';

/** `deferred`: waiting out the recipient's quiet hours; the claim that sends it replaces it. */
export type MessageStatus = 'deferred' | 'sending' | 'sent' | 'skipped';

export interface MessageRecord {
  readonly customerId: string;
  readonly messageKey: string;
  readonly template: string;
  readonly messageKind: 'transactional' | 'marketing';
  readonly topic?: string;
  readonly status: MessageStatus;
  readonly claimedAt: string;
  readonly messageId?: string;
  readonly sentAt?: string;
  readonly reason?: string;
  /** When a deferred message comes back to be sent. */
  readonly deferredUntil?: string;
  /** When feedback first arrived, by kind (delivered, opened, clicked, bounced, complained). */
  readonly feedback?: Readonly<Record<string, string>>;
  readonly origin?: Readonly<Record<string, unknown>>;
}

export interface OutreachState {
  readonly version: number;
  readonly marketingSentAt: readonly string[];
  readonly counters: Readonly<Record<string, number>>;
}

/** Why an address is suppressed, since when, and who or what suppressed it. */
export interface Suppression {
  /** `bounce`, `soft-bounces`, `complaint` (from SES feedback) or `operator`. */
  readonly reason: string;
  readonly at: string;
  /** `ses-feedback`, or the operator who added it. Absent on suppressions made before it was kept. */
  readonly by?: string;
  /** The operator's words: why they suppressed it. */
  readonly note?: string;
}

/** One change to an address's suppression, kept on the address item: who, why, when. */
export interface SuppressionChange {
  readonly action: 'suppressed' | 'lifted';
  readonly reason: string;
  readonly at: string;
  readonly by: string;
  readonly note?: string;
}

export interface AddressRecord {
  readonly suppressed?: Suppression;
  readonly softBounces: number;
  /** Every suppression and lift, oldest first. */
  readonly changes?: readonly SuppressionChange[];
}

const isConflict = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/** Runs a conditional write: true when it was applied, false when its condition did not hold. */
async function applied(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

export async function readMessage(deps: StoreDeps, customerId: string, key: string): Promise<MessageRecord | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: messageKey(customerId, key), ConsistentRead: true }));
  return Item as MessageRecord | undefined;
}

/** Every message logged for a customer (sent, deferred, skipped, being sent), newest first. */
export async function readMessages(deps: StoreDeps, customerId: string): Promise<MessageRecord[]> {
  const messages = (await customerItems(deps, customerId, { prefix: MESSAGE_SK_PREFIX })) as unknown as MessageRecord[];
  // Keys sort by message key, not time; the log reads newest first.
  return messages.sort((a, b) => messageTime(b).localeCompare(messageTime(a)));
}

/** When the message last changed: sent, else claimed, deferred or skipped. */
export function messageTime(message: MessageRecord): string {
  return message.sentAt ?? message.claimedAt;
}

/** Writes a message item unless one is there already (other than one with status `replaces`). */
function putMessage(deps: StoreDeps, record: MessageRecord, expiresAt: number, replaces?: MessageStatus): Promise<boolean> {
  return applied(() =>
    deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...messageKey(record.customerId, record.messageKey), kind: 'message', feedback: {}, ...record, expiresAt },
        ConditionExpression: replaces ? 'attribute_not_exists(pk) OR #status = :replaces' : 'attribute_not_exists(pk)',
        ...(replaces && { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':replaces': replaces } }),
      }),
    ),
  );
}

/** Claims a message key; false when it was claimed before (sending, sent or skipped). A deferral is no claim. */
export function claimMessage(deps: StoreDeps, record: MessageRecord, expiresAt: number): Promise<boolean> {
  return putMessage(deps, record, expiresAt, 'deferred');
}

/** Logs that a message waits (status `deferred`); false when it was logged before, so that it is counted once. */
export function logDeferral(deps: StoreDeps, record: MessageRecord, expiresAt: number): Promise<boolean> {
  return putMessage(deps, record, expiresAt);
}

export async function markSent(deps: StoreDeps, customerId: string, key: string, messageId: string, sentAt: string): Promise<void> {
  await deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: messageKey(customerId, key),
      UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :sentAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId, ':sentAt': sentAt },
    }),
  );
}

/** Gives a claim back after a send that certainly failed, so a retry can send. */
export async function releaseMessage(deps: StoreDeps, customerId: string, key: string): Promise<void> {
  await applied(() =>
    deps.ddb.send(
      new DeleteCommand({
        TableName: deps.tableName,
        Key: messageKey(customerId, key),
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending' },
      }),
    ),
  );
}

/** Records feedback once per kind: the message when this is the first of its kind for it, undefined for a repeat. */
export async function recordFeedback(deps: StoreDeps, customerId: string, key: string, kind: string, at: string): Promise<MessageRecord | undefined> {
  let recorded: MessageRecord | undefined;
  const first = await applied(async () => {
    const { Attributes } = await deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: messageKey(customerId, key),
        UpdateExpression: 'SET feedback.#kind = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(feedback.#kind)',
        ExpressionAttributeNames: { '#kind': kind },
        ExpressionAttributeValues: { ':at': at },
        // The message as it now is (its origin, for the journey's counters): no second read.
        ReturnValues: 'ALL_NEW',
      }),
    );
    recorded = Attributes as MessageRecord | undefined;
  });
  return first ? recorded : undefined;
}

export async function readOutreachState(deps: StoreDeps, customerId: string): Promise<OutreachState> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: outreachStateKey(customerId), ConsistentRead: true }));
  return (Item as OutreachState | undefined) ?? { version: 0, marketingSentAt: [], counters: {} };
}

/** Writes the outreach state if nobody else did since it was read (version `state.version - 1`). */
export function putOutreachState(deps: StoreDeps, customerId: string, state: OutreachState): Promise<boolean> {
  const previous = state.version - 1;
  return applied(() =>
    deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...outreachStateKey(customerId), kind: 'outreach', ...state },
        ConditionExpression: previous === 0 ? 'attribute_not_exists(pk)' : '#version = :previous',
        ...(previous !== 0 && { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': previous } }),
      }),
    ),
  );
}

/**
 * Adds to an engagement counter (sent, delivered, opened, clicked, bounced, complained). Both
 * writes move the version on: the sender writes the whole state back on the version it read
 * (putOutreachState), so a count that left the version alone would be overwritten by a sender
 * that read the state before it — a lost count.
 */
export async function countEngagement(deps: StoreDeps, customerId: string, counter: string): Promise<void> {
  await deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: outreachStateKey(customerId),
      UpdateExpression:
        'SET counters = if_not_exists(counters, :empty), marketingSentAt = if_not_exists(marketingSentAt, :none), version = if_not_exists(version, :zero) + :one',
      ExpressionAttributeValues: { ':empty': {}, ':none': [], ':zero': 0, ':one': 1 },
    }),
  );
  await deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: outreachStateKey(customerId),
      UpdateExpression: 'SET counters.#counter = if_not_exists(counters.#counter, :zero) + :one, version = version + :one',
      ExpressionAttributeNames: { '#counter': counter },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
    }),
  );
}

export async function readAddress(deps: StoreDeps, hash: string): Promise<AddressRecord> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: addressKey(hash), ConsistentRead: true }));
  if (!Item) return { softBounces: 0 };
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as AddressRecord;
}

/**
 * Suppresses an address, unless it is suppressed already: the first reason stays (a complaint
 * after a bounce does not rewrite why mail stopped), and the change is kept with who made it.
 *
 * @returns true when this call suppressed it
 */
export function suppressAddress(deps: StoreDeps, hash: string, reason: string, at: string, by = 'ses-feedback', note?: string): Promise<boolean> {
  const change: SuppressionChange = { action: 'suppressed', reason, at, by, ...(note !== undefined && { note }) };
  const suppressed: Suppression = { reason, at, by, ...(note !== undefined && { note }) };
  return applied(() =>
    deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: addressKey(hash),
        UpdateExpression:
          'SET suppressed = :suppressed, softBounces = if_not_exists(softBounces, :zero), changes = list_append(if_not_exists(changes, :none), :change)',
        ConditionExpression: 'attribute_not_exists(suppressed)',
        ExpressionAttributeValues: { ':suppressed': suppressed, ':zero': 0, ':none': [], ':change': [change] },
      }),
    ),
  );
}

/**
 * An operator lifts a suppression; the address may get email again. The lift is kept beside the
 * suppressions, with who lifted it and why.
 *
 * @returns false when the address was not suppressed
 */
export function liftSuppression(deps: StoreDeps, hash: string, lift: { readonly at: string; readonly by: string; readonly note: string }): Promise<boolean> {
  const change: SuppressionChange = { action: 'lifted', reason: 'operator', ...lift };
  return applied(() =>
    deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: addressKey(hash),
        UpdateExpression: 'REMOVE suppressed SET softBounces = :zero, changes = list_append(if_not_exists(changes, :none), :change)',
        ConditionExpression: 'attribute_exists(suppressed)',
        ExpressionAttributeValues: { ':zero': 0, ':none': [], ':change': [change] },
      }),
    ),
  );
}

/** Counts a soft bounce in a row; returns the count. */
export async function countSoftBounce(deps: StoreDeps, hash: string): Promise<number> {
  const { Attributes } = await deps.ddb.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: addressKey(hash),
      UpdateExpression: 'SET softBounces = if_not_exists(softBounces, :zero) + :one',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.softBounces ?? 1);
}

/** A delivery ends a run of soft bounces. */
export async function resetSoftBounces(deps: StoreDeps, hash: string): Promise<void> {
  await applied(() =>
    deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: addressKey(hash),
        UpdateExpression: 'SET softBounces = :zero',
        ConditionExpression: 'softBounces > :zero',
        ExpressionAttributeValues: { ':zero': 0 },
      }),
    ),
  );
}
