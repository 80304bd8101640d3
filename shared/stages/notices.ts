/**
 * What a stage sends at once when an event arrives, without waiting (anything that waits is a
 * journey): the buy stage's order confirmation, shipping notice, proactive delay apology and
 * payment-recovery email. Each is a transactional send request with a message key derived from
 * the order, so redelivered events and replays send it at most once.
 *
 * A notice goes out only while it is news: an order confirmed two weeks late, or a payment
 * failure from last month, would confuse more than help (and replaying the archive must not mail
 * anyone). The windows are in NOTICE_FRESHNESS_HOURS. Each notice carries the end of its window
 * (`newsUntil`) and the sender skips it past that as `too-old`: a notice not sent is in the message
 * log with its reason, counted like any other skipped email, rather than never asked for.
 */
import { DetailTypes, type CatalogEvent } from '../events/catalog.ts';
import type { SendRequestInput } from '../outreach/request.ts';

export const NOTICE_FRESHNESS_HOURS = {
  [DetailTypes.OrderPlaced]: 48,
  [DetailTypes.OrderShipped]: 48,
  [DetailTypes.OrderDelayed]: 72,
  [DetailTypes.PaymentFailed]: 24,
} as const;

export interface NoticeSettings {
  /** The shop's address: payment-recovery links go to its checkout. */
  readonly brandUrl: string;
}

const notice = (newsUntil: string, customerId: string, messageKey: string, template: string, variables: Record<string, unknown>): SendRequestInput => ({
  version: 1,
  messageKey,
  customerId,
  template,
  kind: 'transactional',
  variables,
  newsUntil,
  origin: { workflow: 'buy' },
});

/** The link that takes the customer back to pay: the order's, else the cart's. */
export function retryUrl(brandUrl: string, payment: { orderId?: string | undefined; cartId?: string | undefined }): string {
  const url = new URL('/checkout/retry', brandUrl);
  if (payment.orderId) url.searchParams.set('order', payment.orderId);
  else if (payment.cartId) url.searchParams.set('cart', payment.cartId);
  return url.toString();
}

/** The send requests an event calls for (none for most events), each news until its window ends. */
export function noticesFor(event: CatalogEvent, customerId: string, settings: NoticeSettings): SendRequestInput[] {
  const freshness = (NOTICE_FRESHNESS_HOURS as Partial<Record<string, number>>)[event.detailType];
  if (freshness === undefined) return [];
  const until = new Date(Date.parse(event.detail.occurredAt) + freshness * 3_600_000).toISOString();
  switch (event.detailType) {
    case DetailTypes.OrderPlaced:
      return [notice(until, customerId, `order-confirmation:${event.detail.data.orderId}`, 'order-confirmation', { order: event.detail.data })];
    case DetailTypes.OrderShipped: {
      const { orderId, carrier, trackingUrl, estimatedDelivery } = event.detail.data;
      const shipment = { ...(carrier && { carrier }), ...(trackingUrl && { trackingUrl }), ...(estimatedDelivery && { estimatedDelivery }) };
      return [notice(until, customerId, `shipping-notice:${orderId}`, 'shipping-notice', { order: { orderId }, shipment })];
    }
    case DetailTypes.OrderDelayed: {
      const { orderId, newEstimatedDelivery, reason } = event.detail.data;
      // A second delay of the same order is news again: the key carries the new date.
      return [
        notice(until, customerId, `delay-notice:${orderId}:${newEstimatedDelivery}`, 'delay-notice', {
          order: { orderId },
          delay: { newEstimatedDelivery, ...(reason && { reason }) },
        }),
      ];
    }
    case DetailTypes.PaymentFailed: {
      const { orderId, cartId, reason } = event.detail.data;
      const payment = { ...(orderId && { orderId }), ...(cartId && { cartId }), ...(reason && { reason }) };
      return [
        notice(until, customerId, `payment-recovery:${orderId ?? cartId}`, 'payment-recovery', { payment, retryUrl: retryUrl(settings.brandUrl, payment) }),
      ];
    }
    default:
      return [];
  }
}
