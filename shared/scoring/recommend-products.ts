/**
 * Recommendations for one customer, as an email shows them: products bought together with (or
 * viewed alongside) the ones given, never one the customer already bought, each with a name. The
 * co-purchase counts come from recommendation-store.ts, the names from product-details.ts.
 */
import type { Profile } from '../profile/profile.ts';
import { readProducts } from './product-details.ts';
import { neighbours, type RecommendationStoreDeps } from './recommendation-store.ts';
import { recommend } from './recommendations.ts';

export interface RecommendedProduct {
  readonly productId: string;
  readonly name: string;
  readonly price?: number;
  readonly currency?: string;
}

export async function recommendProducts(
  deps: RecommendationStoreDeps,
  profile: Profile,
  basedOn: readonly string[],
  limit: number,
): Promise<RecommendedProduct[]> {
  if (basedOn.length === 0) return [];
  const purchased = profile.orderHistory?.products ?? [];
  // Ask for more than needed: purchased products and ones without a name are left out afterwards.
  const ranked = recommend({ basedOn, neighbours: await neighbours(deps, basedOn, limit * 4), exclude: purchased, limit: limit * 3 });
  const details = await readProducts(
    deps,
    ranked.map((each) => each.productId),
  );
  return ranked
    .flatMap((each) => {
      const product = details.get(each.productId);
      // Emails show each product's name and price: one we know neither of is left out.
      if (!product?.name || product.price === undefined || !product.currency) return [];
      return [{ productId: each.productId, name: product.name, price: product.price, currency: product.currency }];
    })
    .slice(0, limit);
}
