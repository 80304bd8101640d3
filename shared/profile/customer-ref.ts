/**
 * How events the system emits name a customer. Provisional ids (`anon:…`, `email:…`) are internal
 * to the profile store, so a provisional customer is named by what the id stands for.
 */
import type { CustomerRef } from '../events/envelope.ts';
import type { Profile } from './profile.ts';

export function customerRefOf(profile: Profile): CustomerRef {
  if (profile.identified) return { id: profile.customerId };
  if (profile.customerId.startsWith('anon:')) return { anonymousId: profile.customerId.slice('anon:'.length) };
  return profile.email !== undefined ? { email: profile.email } : { anonymousId: profile.anonymousIds[0] ?? profile.customerId };
}

/** The reference for a customer id, using the profile when there is one. */
export function customerRefFor(customerId: string, profile?: Profile): CustomerRef {
  if (profile) return customerRefOf(profile);
  return customerId.startsWith('anon:') ? { anonymousId: customerId.slice('anon:'.length) } : { id: customerId };
}
