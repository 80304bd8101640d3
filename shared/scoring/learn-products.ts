/**
 * What the recommendation store learns from an event: orders pair the products bought with each
 * other and with the customer's earlier purchases; views pair a viewed product with the ones the
 * customer viewed lately (a weaker signal); orders, carts and views tell us products' names and
 * prices. Idempotent per order and per view event (see recommendation-store.ts).
 */
import { DetailTypes, type CatalogEvent } from '../events/catalog.ts';
import type { Profile } from '../profile/profile.ts';
import { rememberProduct } from './product-details.ts';
import { recordOrder, recordViews, type RecommendationStoreDeps, type RecordOutcome } from './recommendation-store.ts';

/**
 * What came of it: pairs recorded, a `duplicate` of an order or view recorded before (nothing
 * written), or `nothing-to-learn` from this type of event. Carts only teach names and prices.
 */
export type LearnOutcome = RecordOutcome | 'nothing-to-learn';

/** `profile` is the customer's profile as read now (it may or may not include this event yet). */
export async function learnFromEvent(
  deps: RecommendationStoreDeps,
  event: CatalogEvent,
  customerId: string,
  profile: Profile | undefined,
): Promise<LearnOutcome> {
  const at = event.detail.occurredAt;
  switch (event.detailType) {
    case DetailTypes.OrderPlaced:
    case DetailTypes.CartUpdated: {
      const { items, currency } = event.detail.data;
      await Promise.all(
        items.map((item) => rememberProduct(deps, { productId: item.productId, name: item.name, category: item.category, price: item.price, currency }, at)),
      );
      if (event.detailType !== DetailTypes.OrderPlaced) return 'recorded';
      const productIds = [...new Set(items.map((item) => item.productId))];
      const previousProductIds = [...(profile?.orderHistory?.products ?? [])].reverse().filter((id) => !productIds.includes(id));
      return recordOrder(deps, { customerId, orderId: event.detail.data.orderId, productIds, previousProductIds });
    }
    case DetailTypes.ProductViewed: {
      const { productId, name, category } = event.detail.data;
      // A view's price comes without a currency: only orders and carts set prices.
      await rememberProduct(deps, { productId, name, category }, at);
      const previousViewedIds = (profile?.recentViews ?? []).filter((id) => id !== productId);
      return recordViews(deps, { customerId, eventId: event.detail.eventId, productIds: [productId], previousViewedIds });
    }
    default:
      return 'nothing-to-learn';
  }
}
