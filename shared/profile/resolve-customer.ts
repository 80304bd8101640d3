/**
 * Finds the customer an event is about, and the provisional profiles it reveals to be the same
 * person. A customer id given by the event wins; otherwise the email, then the anonymous id,
 * decides. Provisional ids are derived from the identifier itself, so they need no identity item:
 * identity items are written only to tie an identifier to a different customer.
 */
import type { CustomerRef } from '../events/envelope.ts';
import { emailHash, isProvisionalId, provisionalIdForAnonymous, provisionalIdForEmail } from './identity.ts';
import { readIdentity, readProfile, type StoreDeps } from './store.ts';
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

/** Who holds an identifier: its identity item, else its provisional profile if one exists. */
async function holderOf(deps: StoreDeps, identifier: Identifier): Promise<string | undefined> {
  const mapped = await readIdentity(deps, identifier.kind, identifier.value);
  if (mapped !== undefined) return mapped;
  const provisional = await readProfile(deps, identifier.provisionalId);
  return provisional ? identifier.provisionalId : undefined;
}

export async function resolveCustomer(deps: StoreDeps, customer: CustomerRef): Promise<Resolution> {
  const identifiers = identifiersOf(customer);
  const holders = await Promise.all(identifiers.map((identifier) => holderOf(deps, identifier)));
  const [first] = identifiers;
  const customerId = customer.id ?? holders.find((holder) => holder !== undefined) ?? first?.provisionalId;
  if (customerId === undefined) throw new TypeError('a customer reference needs an id, an email or an anonymous id');

  const merge = [...new Set(holders.filter((holder): holder is string => holder !== undefined && holder !== customerId && isProvisionalId(holder)))];
  // An identifier needs an identity item when it should lead to someone other than its own
  // provisional id and does not already: free ones, and those held by a profile being merged.
  const unclaimed = identifiers.filter(
    (identifier, index) =>
      customerId !== identifier.provisionalId && holders[index] !== customerId && (holders[index] === undefined || merge.includes(holders[index])),
  );
  return { customerId, merge, unclaimed };
}
