/**
 * A customer's items, read a page at a time: the whole of their partition, or the items whose sort
 * key starts with a prefix (timeline entries, messages, journey memberships, the consent ledger).
 * Strongly consistent, so what was just written is there.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreDeps } from './store.ts';
import { customerPk } from './table-design.ts';

export interface ItemsOptions {
  /** Only items whose sort key starts with this. @default every item of the partition */
  readonly prefix?: string;
  /** Only these attributes (plain names, none DynamoDB reserves). @default all */
  readonly attributes?: readonly string[];
}

type Item = Record<string, unknown>;

export async function* customerItemPages(deps: StoreDeps, customerId: string, options: ItemsOptions = {}): AsyncGenerator<Item[]> {
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await deps.ddb.send(
      new QueryCommand({
        TableName: deps.tableName,
        KeyConditionExpression: options.prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': customerPk(customerId), ...(options.prefix !== undefined && { ':prefix': options.prefix }) },
        ...(options.attributes && { ProjectionExpression: options.attributes.join(', ') }),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** Every page of `customerItemPages`, together. */
export async function customerItems(deps: StoreDeps, customerId: string, options: ItemsOptions = {}): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of customerItemPages(deps, customerId, options)) items.push(...page);
  return items;
}
