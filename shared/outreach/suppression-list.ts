/**
 * The suppression list as operators manage it (`lifecycle suppression`): which addresses get no
 * email, why and since when; suppressing one by hand and lifting one. Each change is kept on the
 * address item with who made it, why and when (outreach-store.ts), and the item is keyed by the
 * address's hash, so neither the store's keys nor anything logged holds the address.
 */
import { BatchGetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { emailHash } from '../profile/identity.ts';
import type { StoreDeps } from '../profile/store.ts';
import { ADDRESS_SK, identityKey } from '../profile/table-design.ts';
import { liftSuppression, readAddress, suppressAddress, type AddressRecord, type Suppression } from './outreach-store.ts';

export interface SuppressedAddress {
  /** The address's hash (the key of its item). */
  readonly hash: string;
  /** The customer the address belongs to, when one has claimed it. */
  readonly customerId?: string;
  readonly suppressed: Suppression;
  readonly changes: number;
}

export interface OperatorChange {
  readonly at: string;
  /** Who made the change (an operator's name or IAM principal). */
  readonly by: string;
  /** Why. */
  readonly note: string;
}

export type SuppressOutcome = { readonly status: 'suppressed' } | { readonly status: 'already-suppressed'; readonly suppressed: Suppression };
export type LiftOutcome = { readonly status: 'lifted'; readonly was: Suppression } | { readonly status: 'not-suppressed' };

// Parallel scan segments: an operator's listing finishes sooner on a large table, at the same cost.
const SCAN_SEGMENTS = 4;

async function scanSegment(deps: StoreDeps, segment: number): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.ddb.send(
      new ScanCommand({
        TableName: deps.tableName,
        Segment: segment,
        TotalSegments: SCAN_SEGMENTS,
        FilterExpression: 'sk = :sk AND attribute_exists(suppressed)',
        ProjectionExpression: 'pk, suppressed, changes',
        ExpressionAttributeValues: { ':sk': ADDRESS_SK },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The customers that hold each hash's email identity, 100 keys a call. */
async function ownersOf(deps: StoreDeps, hashes: readonly string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (let start = 0; start < hashes.length; start += 100) {
    let keys: Record<string, unknown>[] = hashes.slice(start, start + 100).map((hash) => identityKey('email', hash));
    while (keys.length > 0) {
      const { Responses, UnprocessedKeys } = await deps.ddb.send(
        new BatchGetCommand({ RequestItems: { [deps.tableName]: { Keys: keys, ProjectionExpression: 'pk, customerId' } } }),
      );
      for (const item of Responses?.[deps.tableName] ?? []) owners.set(String(item.pk).slice('IDENTITY#EMAIL#'.length), String(item.customerId));
      keys = (UnprocessedKeys?.[deps.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return owners;
}

/**
 * Every suppressed address, most recently suppressed first. Address items share the table with
 * profiles and timelines and no index holds them, so this is one scan of the table with a filter:
 * it reads (and bills) the whole table once, whatever the number of addresses — fine for an
 * operator's command, not for a hot path, which reads one address item by its key.
 */
export async function listSuppressed(deps: StoreDeps): Promise<SuppressedAddress[]> {
  const segments = await Promise.all(Array.from({ length: SCAN_SEGMENTS }, (_, segment) => scanSegment(deps, segment)));
  const items = segments.flat();
  const hashes = items.map((item) => String(item.pk).slice('ADDRESS#'.length));
  const owners = await ownersOf(deps, hashes);
  return items
    .map((item, index) => {
      const hash = hashes[index] ?? '';
      const customerId = owners.get(hash);
      return {
        hash,
        ...(customerId && { customerId }),
        suppressed: item.suppressed as Suppression,
        changes: (item.changes as unknown[] | undefined)?.length ?? 0,
      };
    })
    .sort((a, b) => b.suppressed.at.localeCompare(a.suppressed.at));
}

/** An address's suppression and every change to it. */
export function addressRecordOf(deps: StoreDeps, email: string): Promise<AddressRecord> {
  return readAddress(deps, emailHash(email));
}

/** An operator stops all email to an address. */
export async function suppressByOperator(deps: StoreDeps, email: string, change: OperatorChange): Promise<SuppressOutcome> {
  const hash = emailHash(email);
  if (await suppressAddress(deps, hash, 'operator', change.at, change.by, change.note)) return { status: 'suppressed' };
  const { suppressed } = await readAddress(deps, hash);
  // Lifted between the two calls: suppress it after all.
  if (!suppressed) return suppressByOperator(deps, email, change);
  return { status: 'already-suppressed', suppressed };
}

/** An operator lets an address get email again. */
export async function liftByOperator(deps: StoreDeps, email: string, change: OperatorChange): Promise<LiftOutcome> {
  const hash = emailHash(email);
  const { suppressed } = await readAddress(deps, hash);
  if (!suppressed) return { status: 'not-suppressed' };
  if (!(await liftSuppression(deps, hash, { at: change.at, by: change.by, note: change.note }))) return { status: 'not-suppressed' };
  return { status: 'lifted', was: suppressed };
}
