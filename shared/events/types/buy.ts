import * as z from 'zod';
import { currency, date, identifier, line, lineItems, money, timestamp } from '../fields.ts';

const estimatedDelivery = z.union([date, timestamp], { error: 'must be an ISO 8601 date or date-time' });

export const orderPlacedV1 = z.object({
  orderId: identifier,
  items: lineItems,
  total: money,
  currency,
});

export const paymentFailedV1 = z
  .object({
    orderId: identifier.optional(),
    cartId: identifier.optional(),
    reason: line(200).optional(),
  })
  .refine((data) => data.orderId !== undefined || data.cartId !== undefined, {
    error: 'needs an orderId or a cartId',
  });

export const orderShippedV1 = z.object({
  orderId: identifier,
  carrier: line(100).optional(),
  trackingUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(2000).optional(),
  estimatedDelivery: estimatedDelivery.optional(),
});

export const orderDelayedV1 = z.object({
  orderId: identifier,
  newEstimatedDelivery: estimatedDelivery,
  reason: line(200).optional(),
});

export const orderDeliveredV1 = z.object({
  orderId: identifier,
});
