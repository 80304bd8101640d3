/**
 * Reads and writes of the profile store. Each function is one DynamoDB call; the orchestration
 * (what to read, in which order to write) lives in record-event.ts and merge-customer.ts.
 */
import { ConditionalCheckFailedException, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../clients/batch-write.ts';
import type { Profile } from './profile.ts';
import { fromProfileItem, toProfileItem } from './profile-item.ts';
import { TIMELINE_SK_PREFIX, customerPk, identityKey, profileKey, type IdentityKind } from './table-design.ts';
import { fromTimelineItem, toTimelineItem, type TimelineEntry } from './timeline.ts';

export interface StoreDeps {
  readonly ddb: DynamoDBDocumentClient;
  readonly tableName: string;
}

export { ANONYMOUS_PROFILE_DAYS, fromProfileItem, toProfileItem } from './profile-item.ts';

export type PutResult = { readonly ok: true; readonly writeUnits: number } | { readonly ok: false; readonly reason: 'version-conflict' };

const units = (capacity: ConsumedCapacity | undefined): number => capacity?.CapacityUnits ?? 0;

export async function readProfile(deps: StoreDeps, customerId: string): Promise<Profile | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: profileKey(customerId), ConsistentRead: true }));
  return Item ? fromProfileItem(Item) : undefined;
}

/** The profile a customer id leads to: itself, or the customer it was merged into (a few hops at most). */
export async function readCurrentProfile(deps: StoreDeps, customerId: string): Promise<Profile | undefined> {
  let profile = await readProfile(deps, customerId);
  for (let hops = 0; profile?.mergedInto !== undefined && hops < 3; hops++) profile = await readProfile(deps, profile.mergedInto);
  return profile;
}

export async function readTimelineEntry(deps: StoreDeps, key: { pk: string; sk: string }): Promise<TimelineEntry | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }));
  return Item ? fromTimelineItem(Item) : undefined;
}

/**
 * Writes a profile if nobody else wrote it since it was read: the condition is on the version the
 * caller read (`profile.version - 1`), or on the item not existing for a new profile.
 */
export async function putProfile(deps: StoreDeps, profile: Profile): Promise<PutResult> {
  const previous = profile.version - 1;
  try {
    const { ConsumedCapacity } = await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: toProfileItem(profile),
        ConditionExpression: previous === 0 ? 'attribute_not_exists(pk)' : '#version = :previous',
        ...(previous !== 0 && { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': previous } }),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return { ok: true, writeUnits: units(ConsumedCapacity) };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { ok: false, reason: 'version-conflict' };
    throw error;
  }
}

/**
 * Idempotent: writing the same entry twice leaves one. `ifAbsent` writes only where no entry is:
 * for completing an entry another attempt may be writing in full at the same moment.
 */
export async function putTimelineEntry(deps: StoreDeps, entry: TimelineEntry, expiresAt: number, options: { ifAbsent?: boolean } = {}): Promise<number> {
  try {
    const { ConsumedCapacity } = await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: toTimelineItem(entry, expiresAt),
        ReturnConsumedCapacity: 'TOTAL',
        ...(options.ifAbsent && { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
    return units(ConsumedCapacity);
  } catch (error) {
    // A failed condition still costs the write unit it would have used.
    if (options.ifAbsent && error instanceof ConditionalCheckFailedException) return 1;
    throw error;
  }
}

/** Pages of a customer's raw timeline items, oldest first unless `newestFirst`; from `since` when given. */
async function* timelinePages(
  deps: StoreDeps,
  customerId: string,
  options: { newestFirst?: boolean; pageSize?: number; since?: string } = {},
): AsyncGenerator<Record<string, unknown>[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  // Timeline keys sort by time: `since` becomes a key range, not a filter.
  const range = options.since
    ? {
        condition: 'pk = :pk AND sk BETWEEN :from AND :to',
        values: { ':from': `${TIMELINE_SK_PREFIX}${new Date(options.since).toISOString()}`, ':to': `${TIMELINE_SK_PREFIX}~` },
      }
    : { condition: 'pk = :pk AND begins_with(sk, :prefix)', values: { ':prefix': TIMELINE_SK_PREFIX } };
  do {
    const page = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tableName,
        KeyConditionExpression: range.condition,
        ExpressionAttributeValues: { ':pk': customerPk(customerId), ...range.values },
        ScanIndexForward: !options.newestFirst,
        ConsistentRead: true,
        ...(options.pageSize !== undefined && { Limit: options.pageSize }),
        ExclusiveStartKey,
      }),
    );
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** The customer's timeline, oldest first (the `limit` newest when `newestFirst`). */
export async function readTimeline(
  deps: StoreDeps,
  customerId: string,
  options: { newestFirst?: boolean; limit?: number; since?: string } = {},
): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  for await (const items of timelinePages(deps, customerId, { ...options, ...(options.limit && { pageSize: options.limit }) })) {
    entries.push(...items.map(fromTimelineItem));
    if (options.limit !== undefined && entries.length >= options.limit) return entries.slice(0, options.limit);
  }
  return entries;
}

/**
 * Whether the customer's timeline holds an event, wherever it sits in time: a redelivery may carry
 * another `occurredAt` than the delivery recorded (a producer that ran again stamps it anew), so
 * the event's key at that time says nothing. Newest first, where a redelivered event usually is.
 */
export async function hasTimelineEvent(deps: StoreDeps, customerId: string, eventId: string): Promise<boolean> {
  for await (const items of timelinePages(deps, customerId, { newestFirst: true, pageSize: 100 })) {
    if (items.some((item) => item.eventId === eventId)) return true;
  }
  return false;
}

/** Copies timeline items as they are under another customer (idempotent puts, 25 a call). */
export async function copyTimeline(deps: StoreDeps, fromCustomerId: string, toCustomerId: string): Promise<number> {
  let copied = 0;
  for await (const page of timelinePages(deps, fromCustomerId, { pageSize: 25 })) {
    // The provisional profile's stage changes are not the customer's: the merge records its own.
    const puts = page.map(({ stageChange: _theirs, ...item }) => ({
      PutRequest: { Item: { ...item, pk: customerPk(toCustomerId), customerId: toCustomerId } },
    }));
    await batchWriteAll(deps, puts);
    copied += puts.length;
  }
  return copied;
}

export async function readIdentity(deps: StoreDeps, kind: IdentityKind, value: string): Promise<string | undefined> {
  const { Item } = await deps.ddb.send(new GetCommand({ TableName: deps.tableName, Key: identityKey(kind, value), ConsistentRead: true }));
  return typeof Item?.customerId === 'string' ? Item.customerId : undefined;
}

/**
 * Points an identity at a customer, if it is free or held by one of `replaceable` (provisional
 * profiles being merged into that customer). Returns the write units, or undefined when another
 * customer holds it.
 */
export async function claimIdentity(
  deps: StoreDeps,
  kind: IdentityKind,
  value: string,
  customerId: string,
  replaceable: readonly string[] = [],
): Promise<number | undefined> {
  const owners = [customerId, ...replaceable];
  const values = Object.fromEntries(owners.map((owner, index) => [`:owner${index}`, owner]));
  try {
    const { ConsumedCapacity } = await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...identityKey(kind, value), kind: 'identity', customerId },
        ConditionExpression: `attribute_not_exists(pk) OR customerId IN (${Object.keys(values).join(', ')})`,
        ExpressionAttributeValues: values,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return units(ConsumedCapacity);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}
