/**
 * Where the recommendation store keeps its items in the profile table (the single-table design is
 * described in ../profile/table-design.ts; these items add to it):
 *
 * | item            | pk                          | sk                       | holds                                     |
 * |-----------------|-----------------------------|--------------------------|-------------------------------------------|
 * | pair            | `PRODUCT#<productId>`       | `ALSO#<otherProductId>`  | `weight`: customers who bought both (+ 0.2 per customer who viewed both); written in both directions |
 * | product count   | `PRODUCT#<productId>`       | `COUNT`                  | `count`: customers who bought it (+ 0.2 per customer who viewed it) |
 * | order marker    | `PRODUCT-ORDER#<orderId>`   | `MARKER`                 | the order was counted (idempotency); `recordedAt`, `expiresAt`, no customer |
 * | view marker     | `PRODUCT-VIEW#<eventId>`    | `MARKER`                 | the view event was counted (idempotency); same attributes |
 *
 * One partition per product, so one Query reads all of a product's partners. Scans for profiles
 * filter on `sk = PROFILE` and pass these items by.
 */
export const PRODUCT_PK_PREFIX = 'PRODUCT#';
/** What every recommendation-store item's partition key starts with: the function that writes them may write nothing else. */
export const PRODUCT_KEY_PREFIX = 'PRODUCT';
export const ALSO_SK_PREFIX = 'ALSO#';
export const PRODUCT_COUNT_SK = 'COUNT';
export const MARKER_SK = 'MARKER';

export const productPk = (productId: string): string => `${PRODUCT_PK_PREFIX}${productId}`;

export const pairKey = (productId: string, otherProductId: string) => ({ pk: productPk(productId), sk: `${ALSO_SK_PREFIX}${otherProductId}` });

export const productCountKey = (productId: string) => ({ pk: productPk(productId), sk: PRODUCT_COUNT_SK });

export const orderMarkerKey = (orderId: string) => ({ pk: `PRODUCT-ORDER#${orderId}`, sk: MARKER_SK });

export const viewMarkerKey = (eventId: string) => ({ pk: `PRODUCT-VIEW#${eventId}`, sk: MARKER_SK });

/** The other product of a pair item's sort key. */
export const otherProductOf = (sk: string): string => sk.slice(ALSO_SK_PREFIX.length);
