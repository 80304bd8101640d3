/**
 * "Customers who bought this also bought": item-to-item recommendations from co-occurrence.
 *
 * Counting is per customer, not per order. A product's count is the number of customers who bought
 * it; a pair's weight is the number of customers who bought both, whether in one order or in two.
 * Buying a product again adds nothing. Views are a weaker signal counted the same way at 0.2: a
 * customer's first view of a product adds 0.2 to its count and 0.2 to its pair with each product
 * that customer viewed before. Views pair with views only.
 *
 * Similarity corrects for popularity: the weight of the pair divided by the square root of the
 * product of both counts (cosine similarity). A best-seller bought alongside everything does not
 * come out as everything's closest neighbour, and since a pair's weight never exceeds either count,
 * the similarity is between 0 and 1.
 *
 * The store (recommendation-store.ts) applies one order or view at a time with `contribution`;
 * `coOccurrences` applies a whole history the same way, so both give the same numbers. An order
 * or view counts at most 20 products, paired with at most 30 products from the customer's history
 * (the most recent), to bound the writes one order can cause: 20 counts and 20 · 49 pairs, each
 * written in both directions, at most; usually far fewer.
 */
import { round } from './time.ts';

export const ORDER_WEIGHT = 1;
export const VIEW_WEIGHT = 0.2;
export const MAX_PRODUCTS_PER_SIGNAL = 20;
export const MAX_PREVIOUS_PRODUCTS = 30;

/** What one order, or one view, adds: to each product's count, and to each pair (both directions). */
export interface Contribution {
  readonly counts: readonly string[];
  /** Each unordered pair once. */
  readonly pairs: readonly (readonly [string, string])[];
  readonly weight: number;
}

/**
 * What a customer's order (or view) of `productIds` adds, given the products they bought (or
 * viewed) before, most recent first. Only products new to the customer count: each is counted once,
 * and paired with every other product of the order and of the history.
 */
export function contribution(productIds: readonly string[], previousIds: readonly string[], weight: number): Contribution {
  // The whole history decides what is new; only its most recent part is paired with.
  const known = new Set(previousIds);
  const previous = [...known].slice(0, MAX_PREVIOUS_PRODUCTS);
  const current = [...new Set(productIds)].slice(0, MAX_PRODUCTS_PER_SIGNAL);
  const fresh = current.filter((id) => !known.has(id));
  const pairs: [string, string][] = [];
  fresh.forEach((id, index) => {
    // Partners: the fresh products after this one (each fresh pair once), then everything held before.
    for (const other of [...fresh.slice(index + 1), ...current.filter((c) => known.has(c)), ...previous.filter((p) => !current.includes(p))])
      pairs.push([id, other]);
  });
  return { counts: fresh, pairs, weight };
}

export interface CustomerHistory {
  /** Each order's products, oldest order first. */
  readonly orders: readonly (readonly string[])[];
  /** Products viewed, in the order of the views. */
  readonly views?: readonly string[];
}

export interface CoOccurrence {
  readonly counts: ReadonlyMap<string, number>;
  /** product → other product → weight; symmetric. */
  readonly pairs: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Sums of weights are rounded to this many decimals, like the decimal arithmetic of DynamoDB. */
const WEIGHT_DECIMALS = 6;

function apply(counts: Map<string, number>, pairs: Map<string, Map<string, number>>, { counts: counted, pairs: paired, weight }: Contribution): void {
  const add = (map: Map<string, number>, key: string) => map.set(key, round((map.get(key) ?? 0) + weight, WEIGHT_DECIMALS));
  for (const id of counted) add(counts, id);
  for (const [a, b] of paired) {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const partners = pairs.get(from) ?? new Map<string, number>();
      pairs.set(from, partners);
      add(partners, to);
    }
  }
}

/** Counts and pair weights over many customers' histories. */
export function coOccurrences(histories: readonly CustomerHistory[]): CoOccurrence {
  const counts = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const history of histories) {
    let bought: string[] = [];
    for (const order of history.orders) {
      apply(counts, pairs, contribution(order, bought, ORDER_WEIGHT));
      bought = [...new Set(order), ...bought.filter((id) => !order.includes(id))];
    }
    let viewed: string[] = [];
    for (const view of history.views ?? []) {
      apply(counts, pairs, contribution([view], viewed, VIEW_WEIGHT));
      viewed = [view, ...viewed.filter((id) => id !== view)];
    }
  }
  return { counts, pairs };
}

/** Pair weight over the square root of the product of the counts; 0 when either count is 0. */
export function similarity(weight: number, countA: number, countB: number): number {
  return countA > 0 && countB > 0 ? weight / Math.sqrt(countA * countB) : 0;
}

export interface Neighbour {
  readonly productId: string;
  readonly similarity: number;
}

/** For each product recommendations are based on: its most similar products, most similar first. */
export type Neighbours = Readonly<Record<string, readonly Neighbour[]>>;

const byScore =
  <T extends { productId: string }>(score: (item: T) => number) =>
  (a: T, b: T): number =>
    score(b) - score(a) || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);

/** Orders neighbours most similar first, equal ones by product id; keeps `limit`; rounds to 4 decimals. */
export function topNeighbours(candidates: readonly Neighbour[], limit: number): Neighbour[] {
  return [...candidates]
    .filter((candidate) => candidate.similarity > 0)
    .sort(byScore((candidate) => candidate.similarity))
    .slice(0, Math.max(0, limit))
    .map((candidate) => ({ productId: candidate.productId, similarity: round(candidate.similarity, 4) }));
}

/** The `limit` products most similar to `productId` in `co`. */
export function neighboursOf(co: CoOccurrence, productId: string, limit: number): Neighbour[] {
  const count = co.counts.get(productId) ?? 0;
  const partners = [...(co.pairs.get(productId) ?? new Map<string, number>())];
  return topNeighbours(
    partners.map(([other, weight]) => ({ productId: other, similarity: similarity(weight, count, co.counts.get(other) ?? 0) })),
    limit,
  );
}

export interface Recommendation {
  readonly productId: string;
  /** The sum of the candidate's similarities to the products it is based on (4 decimals). */
  readonly score: number;
}

export interface RecommendInput {
  /** The products to recommend from: what the customer bought, viewed or has in the cart. */
  readonly basedOn: readonly string[];
  readonly neighbours: Neighbours;
  /** Never recommended: what the customer already bought. */
  readonly exclude: readonly string[];
  readonly limit: number;
}

/**
 * Candidates are the neighbours of the products recommendations are based on, ranked by their
 * summed similarity, equal sums by product id. The products themselves and the excluded ones never
 * appear. Neighbour lists should be longer than `limit`, so that exclusions leave enough.
 */
export function recommend({ basedOn, neighbours, exclude, limit }: RecommendInput): Recommendation[] {
  const never = new Set([...basedOn, ...exclude]);
  const scores = new Map<string, number>();
  for (const base of new Set(basedOn)) {
    for (const { productId, similarity: value } of neighbours[base] ?? []) {
      if (!never.has(productId) && value > 0) scores.set(productId, (scores.get(productId) ?? 0) + value);
    }
  }
  return [...scores]
    .map(([productId, score]) => ({ productId, score }))
    .sort(byScore((candidate) => candidate.score))
    .slice(0, Math.max(0, limit))
    .map((candidate) => ({ productId: candidate.productId, score: round(candidate.score, 4) }));
}
