/**
 * Snapshots of the profile store, to prove that something changed nothing: every item (profile,
 * timeline, identity, membership, message, address…) whose key the filter keeps, compared whole
 * before and after.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestCloud } from '#tests/support/local-cloud.ts';

/** Item key (`pk sk`) → the item as JSON. */
export type StoreSnapshot = ReadonlyMap<string, string>;

type Item = Record<string, unknown>;

/** Reads the whole table (strongly consistent), keeping the items `keep` accepts. */
export async function snapshotStore(test: TestCloud, keep: (item: Item) => boolean = () => true): Promise<StoreSnapshot> {
  const items = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await test.ddb.send(new ScanCommand({ TableName: test.tableName, ConsistentRead: true, ...(start && { ExclusiveStartKey: start }) }));
    for (const item of page.Items ?? []) if (keep(item)) items.set(`${String(item.pk)} ${String(item.sk)}`, JSON.stringify(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The keys of items added, removed or changed between two snapshots, sorted. */
export function changedItems(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

/** Items about customers and their identifiers: what an event about a customer may change. */
export const isCustomerItem = (item: Item): boolean => /^(CUSTOMER|IDENTITY|ADDRESS)#/.test(String(item.pk));
