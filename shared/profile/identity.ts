/**
 * How the system knows who an event is about. A business system may know the customer by its own
 * id, by an email address, or only by an anonymous id (a cookie, a device). Customers known only by
 * email or anonymous id get a provisional id derived from it, so retries resolve to the same
 * profile; when an event later ties them to a real id, the provisional profile is merged into it.
 */
import { createHash } from 'node:crypto';
import { PROVISIONAL_ID_PREFIXES } from '../events/fields.ts';
import type { IdentityKind } from './table-design.ts';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Emails are compared without case and surrounding space. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A stable, non-reversible key for an email (128 bits of its SHA-256): keys and ids never hold the
 * address itself.
 */
export function emailHash(email: string): string {
  return sha256(normalizeEmail(email)).slice(0, 32);
}

export function provisionalIdForEmail(email: string): string {
  return `email:${emailHash(email)}`;
}

export function provisionalIdForAnonymous(anonymousId: string): string {
  return `anon:${anonymousId}`;
}

export function isProvisionalId(customerId: string): boolean {
  return PROVISIONAL_ID_PREFIXES.some((prefix) => customerId.startsWith(prefix));
}

/** The identifier a provisional id was derived from; none for a customer's own id. */
export function identityKindOf(customerId: string): { kind: IdentityKind; value: string }[] {
  if (customerId.startsWith('anon:')) return [{ kind: 'anonymous', value: customerId.slice('anon:'.length) }];
  if (customerId.startsWith('email:')) return [{ kind: 'email', value: customerId.slice('email:'.length) }];
  return [];
}

/**
 * A short mark of an event id for the profile's dedupe list: 48 bits of its SHA-256. With at most
 * LIMITS.recentEvents marks kept, a new event passes for one of them with odds of about 1 in
 * 3·10^13; the profile item's bytes are counted (one write unit a kilobyte), these ones are
 * repeated eight times.
 */
export function eventMark(eventId: string): string {
  return createHash('sha256').update(eventId).digest('base64url').slice(0, 8);
}

/**
 * Whether a stored mark is the one of `mark`'s event. Marks were 12 characters (72 bits) before:
 * the same hash, so a mark is the start of the longer one an older profile holds.
 */
export const isMarkOf = (stored: string | undefined, mark: string): boolean => stored?.startsWith(mark) ?? false;

export const hasMark = (marks: readonly string[], mark: string): boolean => marks.some((stored) => isMarkOf(stored, mark));
