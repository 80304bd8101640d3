/**
 * What the profile keeps about a customer's orders beyond the counters and revenue: when the first
 * and the latest were placed, the dates of the recent ones (the customer's own rhythm, for churn
 * risk), orders per currency (for the average order value), the products bought (never to be
 * recommended again), and the latest order's items (for onboarding emails). Bounded, so the
 * profile stays small.
 */
export interface OrderHistory {
  readonly firstAt: string;
  readonly lastAt: string;
  /** Days (YYYY-MM-DD) of the latest orders, oldest first: the customer's rhythm. */
  readonly recentAt: readonly string[];
  readonly byCurrency: Readonly<Record<string, number>>;
  /** Products bought, most recent last. */
  readonly products: readonly string[];
  /** The latest order's first items. */
  readonly lastItems: readonly { readonly productId: string; readonly name?: string }[];
}

export const ORDER_HISTORY_LIMITS = { recentAt: 8, products: 10, lastItems: 3 } as const;

const day = (at: string): string => at.slice(0, 10);

export interface PlacedOrder {
  readonly items: readonly { readonly productId: string; readonly name?: string | undefined }[];
  readonly currency: string;
}

const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);

function withProducts(products: readonly string[], added: readonly string[]): string[] {
  const kept = products.filter((id) => !added.includes(id));
  return [...kept, ...new Set(added)].slice(-ORDER_HISTORY_LIMITS.products);
}

export function addOrder(history: OrderHistory | undefined, order: PlacedOrder, at: string): OrderHistory {
  const items = order.items.slice(0, ORDER_HISTORY_LIMITS.lastItems).map((item) => ({ productId: item.productId, ...(item.name && { name: item.name }) }));
  const productIds = order.items.map((item) => item.productId);
  if (!history) {
    return { firstAt: at, lastAt: at, recentAt: [day(at)], byCurrency: { [order.currency]: 1 }, products: withProducts([], productIds), lastItems: items };
  }
  const latest = Date.parse(at) >= Date.parse(history.lastAt);
  return {
    firstAt: Date.parse(at) < Date.parse(history.firstAt) ? at : history.firstAt,
    lastAt: latest ? at : history.lastAt,
    recentAt: [...history.recentAt, day(at)].sort(byTime).slice(-ORDER_HISTORY_LIMITS.recentAt),
    byCurrency: { ...history.byCurrency, [order.currency]: (history.byCurrency[order.currency] ?? 0) + 1 },
    products: latest ? withProducts(history.products, productIds) : withProducts(productIds, history.products),
    lastItems: latest ? items : history.lastItems,
  };
}

/** Revenue per order, per currency. */
export function averageOrderValue(history: OrderHistory | undefined, revenue: Readonly<Record<string, number>>): Record<string, number> {
  const average: Record<string, number> = {};
  for (const [currency, count] of Object.entries(history?.byCurrency ?? {})) {
    if (count > 0) average[currency] = Math.round(((revenue[currency] ?? 0) / count) * 100) / 100;
  }
  return average;
}

export function mergeOrderHistory(a: OrderHistory | undefined, b: OrderHistory | undefined): OrderHistory | undefined {
  if (!a || !b) return a ?? b;
  const [older, newer] = Date.parse(a.lastAt) <= Date.parse(b.lastAt) ? [a, b] : [b, a];
  const byCurrency: Record<string, number> = { ...older.byCurrency };
  for (const [currency, count] of Object.entries(newer.byCurrency)) byCurrency[currency] = (byCurrency[currency] ?? 0) + count;
  return {
    firstAt: Date.parse(a.firstAt) <= Date.parse(b.firstAt) ? a.firstAt : b.firstAt,
    lastAt: newer.lastAt,
    recentAt: [...a.recentAt, ...b.recentAt].sort(byTime).slice(-ORDER_HISTORY_LIMITS.recentAt),
    byCurrency,
    products: withProducts(older.products, newer.products),
    lastItems: newer.lastItems,
  };
}
