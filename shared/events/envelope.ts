/**
 * The envelope every event's `Detail` carries (DESIGN.md section 3). `version` selects the schema
 * of `data`; absent means 1, so producers written before a type gained a second version keep working.
 */
import * as z from 'zod';
import { customerId, email, identifier, line, locale, timestamp, timezone } from './fields.ts';

export const customerRef = z
  .object({
    id: customerId.optional(),
    anonymousId: identifier.optional(),
    email: email.optional(),
    name: line(200).optional(),
    locale: locale.optional(),
    timezone: timezone.optional(),
  })
  .refine((customer) => customer.id !== undefined || customer.anonymousId !== undefined || customer.email !== undefined, {
    error: 'needs at least one of id, anonymousId or email',
  });

export type CustomerRef = z.infer<typeof customerRef>;

/** Builds the detail schema of one version of an event type around the schema of its `data`. */
export function envelope<V extends number, D extends z.ZodType>(version: V, data: D) {
  return z.object({
    // Optional so that a producer may leave it out; the catalog reads it to pick the schema.
    version: z.literal(version).optional(),
    eventId: identifier,
    occurredAt: timestamp,
    customer: customerRef,
    data,
  });
}
