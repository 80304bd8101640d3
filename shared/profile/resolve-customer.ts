/**
 * Finds the customer an event is about, and the provisional profiles it reveals to be the same
 * person. A customer id given by the event wins; otherwise the email, then the anonymous id,
 * decides. Customers known only by an email or an anonymous id get a provisional id derived from
 * it, so retries resolve to the same profile.
 *
 * Identity items are the single source of truth for who holds an identifier, and claiming one is
 * a conditional write: when two events race — an anonymous visit and the sign-up that names the
 * same visitor — one claim wins and the other event resolves again and sees it.
 */
import { ConcurrentUpdateError } from '../errors.ts';
import type { CustomerRef } from '../events/envelope.ts';
import { emailHash, isProvisionalId, provisionalIdForAnonymous, provisionalIdForEmail } from './identity.ts';
import { claimIdentity, readIdentity, type StoreDeps } from './store.ts';
import type { IdentityKind } from './table-design.ts';

export interface Identifier {
  readonly kind: IdentityKind;
  /** The anonymous id, or the email's hash. */
  readonly value: string;
  readonly provisionalId: string;
}

export interface Resolution {
  readonly customerId: string;
  /** Provisional customers to merge into `customerId` before the event is applied. */
  readonly merge: readonly string[];
  /** Identifiers on the event that do not yet point at `customerId`. */
  readonly unclaimed: readonly Identifier[];
}

export function identifiersOf(customer: CustomerRef): Identifier[] {
  const identifiers: Identifier[] = [];
  if (customer.email !== undefined) {
    identifiers.push({ kind: 'email', value: emailHash(customer.email), provisionalId: provisionalIdForEmail(customer.email) });
  }
  if (customer.anonymousId !== undefined) {
    identifiers.push({ kind: 'anonymous', value: customer.anonymousId, provisionalId: provisionalIdForAnonymous(customer.anonymousId) });
  }
  return identifiers;
}

/** Reads who holds each identifier and decides the customer; writes nothing. */
export async function resolveCustomer(deps: StoreDeps, customer: CustomerRef): Promise<Resolution> {
  const identifiers = identifiersOf(customer);
  const holders = await Promise.all(identifiers.map((identifier) => readIdentity(deps, identifier.kind, identifier.value)));
  const [first] = identifiers;
  const customerId = customer.id ?? holders.find((holder) => holder !== undefined) ?? first?.provisionalId;
  if (customerId === undefined) throw new TypeError('a customer reference needs an id, an email or an anonymous id');
  const merge = [...new Set(holders.filter((holder): holder is string => holder !== undefined && holder !== customerId && isProvisionalId(holder)))];
  // Free identifiers, and those held by a profile being merged, are to point at the customer.
  const unclaimed = identifiers.filter((_, index) => holders[index] !== customerId && (holders[index] === undefined || merge.includes(holders[index])));
  return { customerId, merge, unclaimed };
}

export interface Claimed {
  readonly customerId: string;
  readonly merged: readonly string[];
  readonly writeUnits: number;
}

/**
 * Resolves the customer, merges what the event reveals, and claims the event's identifiers for
 * them; starts over when another event claimed an identifier first.
 */
export async function resolveAndClaim(
  deps: StoreDeps,
  customer: CustomerRef,
  mergeInto: (sourceId: string, targetId: string) => Promise<void>,
  maxAttempts = 5,
): Promise<Claimed> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const resolution = await resolveCustomer(deps, customer);
    for (const source of resolution.merge) await mergeInto(source, resolution.customerId);
    let writeUnits = 0;
    let lost = false;
    for (const identifier of resolution.unclaimed) {
      // A merge points the merged profile's identifiers at the customer itself: claiming them
      // again would cost a write unit each and change nothing.
      if (resolution.merge.length > 0 && (await readIdentity(deps, identifier.kind, identifier.value)) === resolution.customerId) continue;
      const units = await claimIdentity(deps, identifier.kind, identifier.value, resolution.customerId, resolution.merge);
      if (units === undefined) {
        lost = true;
        break;
      }
      writeUnits += units;
    }
    if (!lost) return { customerId: resolution.customerId, merged: resolution.merge, writeUnits };
  }
  throw new ConcurrentUpdateError('identifiers kept changing hands while resolving the customer');
}
