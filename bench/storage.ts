/**
 * How much the table holds at the end of a workload, measured as DynamoDB bills storage: each
 * item's attribute names and values, plus 100 bytes of overhead per item (and per index entry).
 * Items that expire (the time-to-live attribute) are the timeline, which grows with time until its
 * retention; the rest (profiles, identities, memberships, metrics) stays about the size it is.
 */
import { type AttributeValue, DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';

const ITEM_OVERHEAD_BYTES = 100;

/** An attribute value's size as DynamoDB counts it. */
export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  // Numbers: about one byte per two significant digits, plus one.
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, each) => sum + Buffer.byteLength(each), 0);
  if (value.NS) return value.NS.reduce((sum, each) => sum + valueBytes({ N: each }), 0);
  if (value.BS) return value.BS.reduce((sum, each) => sum + each.byteLength, 0);
  if (value.L) return 3 + value.L.reduce((sum, each) => sum + 1 + valueBytes(each), 0);
  if (value.M) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}

/** An item's size: its attribute names and values. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

export interface TableBytes {
  /** Items with the time-to-live attribute (the timeline): billed bytes. */
  readonly expiring: number;
  readonly lasting: number;
  readonly items: number;
}

/** Scans the whole table (after the workload: these reads are not part of it). */
/** A global secondary index: the attribute that puts an item in it, and every key it stores (its own and the table's). */
export interface IndexKeys {
  readonly partitionKey: string;
  readonly keys: readonly string[];
}

export async function measureTable(endpoint: string, tableName: string, ttlAttribute: string | undefined, indexes: readonly IndexKeys[]): Promise<TableBytes> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  let expiring = 0;
  let lasting = 0;
  let items = 0;
  try {
    for await (const page of paginateScan({ client }, { TableName: tableName })) {
      for (const item of page.Items ?? []) {
        items++;
        // An index entry is stored again with its keys and its own overhead.
        const indexed = indexes
          .filter((index) => item[index.partitionKey] !== undefined)
          .reduce(
            (sum, index) =>
              sum + ITEM_OVERHEAD_BYTES + index.keys.reduce((keys, key) => keys + (item[key] ? Buffer.byteLength(key) + valueBytes(item[key]) : 0), 0),
            0,
          );
        const bytes = itemBytes(item) + ITEM_OVERHEAD_BYTES + indexed;
        if (ttlAttribute && item[ttlAttribute] !== undefined) expiring += bytes;
        else lasting += bytes;
      }
    }
  } finally {
    client.destroy();
  }
  return { expiring, lasting, items };
}
