import * as z from 'zod';
import { currency, identifier, line, lineItems, money } from '../fields.ts';

export const productViewedV1 = z.object({
  productId: identifier,
  name: line(200).optional(),
  category: line(100).optional(),
  price: money.optional(),
});

export const contentViewedV1 = z.object({
  contentId: identifier,
  topic: line(100).optional(),
});

/** A cart's full contents; also the data of `checkout.started`. */
export const cartV1 = z.object({
  cartId: identifier,
  items: lineItems,
  total: money,
  currency,
});
