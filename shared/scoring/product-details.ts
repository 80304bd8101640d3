/**
 * What the shop has told us about each product — name, category, price — kept from the events that
 * carry it (product views, carts, orders), so emails can show recommended products by name. One
 * item per product beside its co-purchase counts: `PRODUCT#<productId>` / `DETAILS`. The latest
 * event wins; a late event never overwrites newer details.
 */
import { BatchGetCommand, UpdateCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { RecommendationStoreDeps } from './recommendation-store.ts';
import { productPk } from './recommendation-keys.ts';

export interface ProductDetails {
  readonly productId: string;
  readonly name?: string;
  readonly category?: string;
  readonly price?: number;
  readonly currency?: string;
}

const DETAILS_SK = 'DETAILS';
const detailsKey = (productId: string) => ({ pk: productPk(productId), sk: DETAILS_SK });

/** Keeps what `details` says about a product, unless newer details are stored. */
export async function rememberProduct(deps: RecommendationStoreDeps, details: ProductDetails, at: string): Promise<void> {
  const fields = Object.entries({ name: details.name, category: details.category, price: details.price, currency: details.currency }).filter(
    ([, value]) => value !== undefined,
  );
  if (fields.length === 0) return;
  try {
    await deps.ddb.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: detailsKey(details.productId),
        UpdateExpression: `SET kind = :kind, seenAt = :at, ${fields.map(([name]) => `#${name} = :${name}`).join(', ')}`,
        ConditionExpression: 'attribute_not_exists(seenAt) OR seenAt <= :at',
        ExpressionAttributeNames: Object.fromEntries(fields.map(([name]) => [`#${name}`, name])),
        ExpressionAttributeValues: { ':kind': 'product-details', ':at': at, ...Object.fromEntries(fields.map(([name, value]) => [`:${name}`, value])) },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function readProducts(deps: RecommendationStoreDeps, productIds: readonly string[]): Promise<Map<string, ProductDetails>> {
  const found = new Map<string, ProductDetails>();
  for (let start = 0; start < productIds.length; start += 100) {
    let keys: Record<string, unknown>[] | undefined = productIds.slice(start, start + 100).map(detailsKey);
    for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
      const response: BatchGetCommandOutput = await deps.ddb.send(new BatchGetCommand({ RequestItems: { [deps.tableName]: { Keys: keys } } }));
      const { Responses, UnprocessedKeys } = response;
      for (const item of Responses?.[deps.tableName] ?? []) {
        const productId = String(item.pk).slice(productPk('').length);
        found.set(productId, {
          productId,
          ...(typeof item.name === 'string' && { name: item.name }),
          ...(typeof item.category === 'string' && { category: item.category }),
          ...(typeof item.price === 'number' && { price: item.price }),
          ...(typeof item.currency === 'string' && { currency: item.currency }),
        });
      }
      keys = UnprocessedKeys?.[deps.tableName]?.Keys;
    }
  }
  return found;
}
