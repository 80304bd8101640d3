/**
 * DynamoDB in the local cloud, as the edge and Step Functions reach it: every call goes to the
 * local store (dynalite, in this process) with ReturnConsumedCapacity, so the read and write units it would cost
 * are counted by caller; the caller sees the response it asked for. Faults (throttling) are
 * injected here. Writes to global secondary indexes, which the store does not report, are counted
 * from the index keys before and after each write: a new entry is one write, a moved one two. The
 * write itself returns the item it replaced (a put, a delete) or made (an update); an update's
 * old item is read before it (apart from the write, so concurrent updates of one item may blur
 * the count a little).
 */
import type { CreateTableCommandInput, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { AwsServiceError } from '../aws-error.ts';
import type { FaultInjector } from '../faults.ts';
import type { DynaliteStore } from './dynalite-store.ts';
import type { DynamoUsage, UsageMeter } from '../usage-meter.ts';

type Json = Record<string, unknown>;

/**
 * The write units a change costs one global secondary index (an entry of up to 1 KB, as DynamoDB
 * bills it): none when the entry is unchanged, one to add or remove it, two to move it (a delete
 * and a put). `undefined` is no entry. The emulator bills by AWS's rule, not by any app's estimate of it.
 */
function indexEntryWrites(before: string | undefined, after: string | undefined): number {
  if (before === after) return 0;
  return before !== undefined && after !== undefined ? 2 : 1;
}

export interface MeteredDynamoDeps {
  readonly store: DynaliteStore;
  readonly meter: UsageMeter;
  readonly faults: FaultInjector;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const WRITES = new Set([...ITEM_WRITES, 'BatchWriteItem']);

export class MeteredDynamo {
  /** Table name → key attributes of each global secondary index. */
  private readonly indexKeys = new Map<string, readonly (readonly string[])[]>();
  /** Table name → its primary key attributes. */
  private readonly primaryKeys = new Map<string, readonly string[]>();

  constructor(private readonly deps: MeteredDynamoDeps) {}

  /** Tells the meter a table's keys and global secondary indexes, so that writes to them are counted. */
  addTable(table: CreateTableCommandInput & { TableName: string }): void {
    const names = (schema: readonly KeySchemaElement[] | undefined) => (schema ?? []).map((key) => key.AttributeName ?? '');
    this.primaryKeys.set(table.TableName, names(table.KeySchema));
    this.indexKeys.set(
      table.TableName,
      (table.GlobalSecondaryIndexes ?? []).map((index) => names(index.KeySchema)),
    );
  }

  async call(action: string, input: Json, caller: string): Promise<unknown> {
    const tableName = typeof input.TableName === 'string' ? input.TableName : '';
    // The call's content is written out only when some fault may hit it.
    const fault =
      this.deps.faults.active.length > 0 ? this.deps.faults.check('dynamodb', { resources: [action, tableName], content: JSON.stringify(input) }) : undefined;
    if (fault)
      throw new AwsServiceError(
        fault.error ?? 'ProvisionedThroughputExceededException',
        `injected fault: ${action} on ${tableName || 'the store'} was throttled`,
      );
    if (!READS.has(action) && !WRITES.has(action)) return this.deps.store.call(action, input);

    const asked = input.ReturnConsumedCapacity;
    const wantsCapacity = asked === 'TOTAL' || asked === 'INDEXES';
    const indexes = ITEM_WRITES.has(action) ? (this.indexKeys.get(tableName) ?? []) : [];
    const returning = indexes.length > 0 ? returnedItem(action, input.ReturnValues) : undefined;
    const before = indexes.length > 0 && returning !== 'ALL_OLD' ? await this.indexEntries(tableName, this.keyOf(tableName, input), indexes) : [];

    let output: Json;
    try {
      output = await this.deps.store.call(action, {
        ...input,
        ReturnConsumedCapacity: wantsCapacity ? asked : 'TOTAL',
        ...(returning && { ReturnValues: returning }),
      });
    } catch (error) {
      // A failed conditional write is still billed a write unit.
      if (error instanceof AwsServiceError && error.code === 'ConditionalCheckFailedException')
        this.deps.meter.dynamoCall(caller, { writeUnits: 1, conditionalFailures: 1 });
      throw error;
    }

    const units = capacityUnits(output.ConsumedCapacity);
    const usage: Partial<DynamoUsage> = READS.has(action) ? { readUnits: units } : { writeUnits: units };
    if (indexes.length > 0) {
      const returned = output.Attributes as Json | undefined;
      if (returning && (input.ReturnValues ?? 'NONE') === 'NONE') delete output.Attributes;
      const old = returning === 'ALL_OLD' ? indexes.map((attributes) => entryOf(returned, attributes)) : before;
      // A put's new item is the one it sent; an update's is the one it returned, or else read back.
      const after =
        action === 'DeleteItem'
          ? indexes.map(() => undefined)
          : action === 'PutItem'
            ? indexes.map((attributes) => entryOf(input.Item as Json | undefined, attributes))
            : returning === 'ALL_NEW'
              ? indexes.map((attributes) => entryOf(returned, attributes))
              : await this.indexEntries(tableName, this.keyOf(tableName, input), indexes);
      usage.indexWriteUnits = old.reduce((sum, entry, n) => sum + indexEntryWrites(entry, after[n]), 0);
    } else if (action === 'BatchWriteItem') {
      usage.indexWriteUnits = batchIndexWrites(input, this.indexKeys);
    }
    this.deps.meter.dynamoCall(caller, usage);
    if (!wantsCapacity) delete output.ConsumedCapacity;
    return output;
  }

  /** The item's key: the call's Key, or (for PutItem) the key attributes of its Item. */
  private keyOf(tableName: string, input: Json): Json | undefined {
    if (input.Key && typeof input.Key === 'object') return input.Key as Json;
    const item = input.Item as Json | undefined;
    return item ? Object.fromEntries((this.primaryKeys.get(tableName) ?? []).map((name) => [name, item[name]])) : undefined;
  }

  /** Each index's key values for the item now, joined, or undefined when the item is not in that index. */
  private async indexEntries(tableName: string, key: Json | undefined, indexes: readonly (readonly string[])[]): Promise<(string | undefined)[]> {
    if (!key) return indexes.map(() => undefined);
    const { Item } = (await this.deps.store.call('GetItem', { TableName: tableName, Key: key, ConsistentRead: true })) as { Item?: Json };
    return indexes.map((attributes) => entryOf(Item, attributes));
  }
}

/**
 * What a write to a table with indexes is asked to return so that its index entries are known
 * without reading the item: the old item of a put or a delete, the new item of an update. Only
 * where the caller asked for nothing or for that same item; otherwise the item is read.
 */
function returnedItem(action: string, asked: unknown): 'ALL_OLD' | 'ALL_NEW' | undefined {
  const wanted = action === 'UpdateItem' ? 'ALL_NEW' : 'ALL_OLD';
  return asked === undefined || asked === 'NONE' || asked === wanted ? wanted : undefined;
}

function capacityUnits(consumed: unknown): number {
  const all = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return all.reduce((sum: number, each) => sum + Number((each as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
}

function entryOf(item: Json | undefined, attributes: readonly string[]): string | undefined {
  if (!item || !attributes.every((name) => item[name] !== undefined)) return undefined;
  return JSON.stringify(attributes.map((name) => item[name]));
}

/** Batch puts of items that carry an index's keys: one write each (batch writes copy items to new keys). */
function batchIndexWrites(input: Json, indexKeys: ReadonlyMap<string, readonly (readonly string[])[]>): number {
  let writes = 0;
  for (const [table, requests] of Object.entries((input.RequestItems as Record<string, { PutRequest?: { Item?: Json } }[]> | undefined) ?? {})) {
    for (const request of requests)
      for (const attributes of indexKeys.get(table) ?? []) if (entryOf(request.PutRequest?.Item, attributes) !== undefined) writes++;
  }
  return writes;
}
