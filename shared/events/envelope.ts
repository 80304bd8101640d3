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
  })
  // The same rule in the published JSON Schema, which cannot carry a refinement.
  .meta({ anyOf: [{ required: ['id'] }, { required: ['anonymousId'] }, { required: ['email'] }] });

export type CustomerRef = z.infer<typeof customerRef>;

/** How far in the future an event may claim to have happened (producers' clocks drift). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Events before this are taken to be broken, not history. */
export const EARLIEST_OCCURRED_AT = '2000-01-01T00:00:00Z';

/** Builds the detail schema of one version of an event type around the schema of its `data`. */
export function envelope<V extends number, D extends z.ZodType>(version: V, data: D) {
  return z.object({
    // Optional so that a producer may leave it out; the catalog reads it to pick the schema.
    version: z.literal(version).optional(),
    eventId: identifier,
    occurredAt: timestamp.meta({
      // Judged against the clock when the event arrives (parse.ts, checkOccurredAt), which no schema can express.
      description: `When it happened: not before ${EARLIEST_OCCURRED_AT}, nor more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes after the time it reaches the bus.`,
    }),
    customer: customerRef,
    data,
  });
}
