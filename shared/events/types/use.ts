import * as z from 'zod';
import { identifier, line, storable } from '../fields.ts';

export const productActivatedV1 = z.object({
  productId: identifier,
  orderId: identifier.optional(),
});

export const usageRecordedV1 = z.object({
  productId: identifier.optional(),
  feature: line(100).optional(),
  quantity: storable(z.number({ error: 'must be a number' }).nonnegative({ error: 'must not be negative' }).max(1e9)).optional(),
  source: line(50).optional(),
});
