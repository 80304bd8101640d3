/**
 * A customer import as catalog events — `profile.updated` (identity, locale, time zone and
 * attributes) and `consent.updated` (the email endpoint's opt-out) — so that it goes the way any
 * event goes: validated, recorded once, merged with what the system already knows, never
 * overwriting newer data. Not `lead.captured`: that starts the welcome series, and an imported
 * audience is not new.
 *
 * Event ids are derived from the customer and what the import says about them, so running the
 * same import again puts events the profile store has already applied; an export taken later,
 * with changed data, gives new ids.
 */
import { createHash } from 'node:crypto';
import type { EmitInput } from '#shared/events/emitter.ts';
import type { CustomerImport } from './endpoints.ts';

const MAX_ATTRIBUTES_PER_EVENT = 50;

const hash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

export function customerEvents(customer: CustomerImport): EmitInput[] {
  const id = `pinpoint-${hash(customer.key, 16)}-${hash(JSON.stringify(customer), 12)}`;
  const ref = customer.customer;
  const entries = Object.entries(customer.attributes).sort(([a], [b]) => a.localeCompare(b));
  const events: EmitInput[] = [];
  for (let start = 0; start < entries.length; start += MAX_ATTRIBUTES_PER_EVENT) {
    events.push({
      detailType: 'profile.updated',
      detail: {
        eventId: `${id}-profile-${start / MAX_ATTRIBUTES_PER_EVENT + 1}`,
        occurredAt: customer.occurredAt,
        customer: ref,
        data: { attributes: Object.fromEntries(entries.slice(start, start + MAX_ATTRIBUTES_PER_EVENT)) },
      },
    });
  }
  if (customer.subscribed !== undefined) {
    events.push({
      detailType: 'consent.updated',
      detail: { eventId: `${id}-consent`, occurredAt: customer.occurredAt, customer: ref, data: { channel: 'email', subscribed: customer.subscribed } },
    });
  }
  return events;
}
