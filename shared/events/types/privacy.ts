/** People's data rights: a customer asks to be forgotten, and the system says when it is done. */
import * as z from 'zod';
import { identifier, line, timestamp } from '../fields.ts';

/**
 * A request to erase everything held about the customer the envelope names. `requestId` is the
 * idempotency key: the same request sent twice erases once and announces once.
 */
export const customerErasureRequestedV1 = z.object({
  requestId: identifier,
  /** Why, for the record (a ticket number, "customer request"); never personal data. */
  reason: line(200).optional(),
});

/** Emitted once a customer's data is erased; it carries the customer's id and nothing personal. */
export const customerErasedV1 = z.object({
  requestId: identifier,
  erasedAt: timestamp,
  /** Items deleted from the store, and journey runs stopped. */
  itemsDeleted: z.number().int().nonnegative(),
  runsStopped: z.number().int().nonnegative(),
});
