/**
 * Forgetting a customer. The tombstone comes first: from the moment it is written, every event
 * that occurred before it is refused (record-event.ts), nothing is sent (send-email.ts), and the
 * tombstone names what is left to clean, so a retry after a crash at any step finishes the work.
 * Then the runs stop (their wake-ups deleted), every other item of the customer and of the
 * provisional profiles merged into them is deleted, their addresses stay suppressed, and
 * `customer.erased` is announced. Each step is idempotent; the whole is too.
 *
 * What stays: the tombstone (the customer id, when, the request, the hashes of the addresses),
 * the identity items (hash or anonymous id → customer id) so that an event naming the person only
 * by address or cookie still finds the tombstone, and the address items (hash → suppressed).
 */
import { batchWriteAll } from '../clients/batch-write.ts';
import { ConcurrentUpdateError } from '../errors.ts';
import { DetailTypes } from '../events/catalog.ts';
import { stopRuns, type ExitDeps } from '../journeys/engine.ts';
import { suppressAddress } from '../outreach/outreach-store.ts';
import { customerItemPages } from '../profile/customer-items.ts';
import { emailHash, identityKindOf, provisionalIdForAnonymous, provisionalIdForEmail } from '../profile/identity.ts';
import { newProfile, type Profile } from '../profile/profile.ts';
import { putProfile, readIdentity, readProfile } from '../profile/store.ts';
import { PROFILE_SK } from '../profile/table-design.ts';

export interface EraseDeps extends ExitDeps {
  /** Puts a system event on the bus (Source `lifecycle`). */
  readonly putEvent: (detailType: string, detail: Readonly<Record<string, unknown>>) => Promise<void>;
}

export interface ErasureRequest {
  /** The customer by id, or by email address (never put on the bus: see cli/customer.ts). */
  readonly customer: { readonly id?: string; readonly email?: string; readonly anonymousId?: string };
  /** The idempotency key: the same request erases once and announces once. */
  readonly requestId: string;
}

export interface ErasureReport {
  readonly customerId: string;
  readonly erasedAt: string;
  readonly itemsDeleted: number;
  readonly runsStopped: number;
  /**
   * False for someone known only by an address: the announcement may carry no personal data, and
   * the address's hash is no identifier another system knows.
   */
  readonly announced: boolean;
}

const MAX_ATTEMPTS = 20;
const MERGE_HOPS = 5;

/** The customer a request names: by id or by address, following merges to the profile that holds the data. */
async function customerNamed(deps: ExitDeps, customer: ErasureRequest['customer']): Promise<string> {
  let customerId: string | undefined = customer.id;
  if (customerId === undefined && customer.email !== undefined)
    customerId = (await readIdentity(deps, 'email', emailHash(customer.email))) ?? provisionalIdForEmail(customer.email);
  if (customerId === undefined && customer.anonymousId !== undefined)
    customerId = (await readIdentity(deps, 'anonymous', customer.anonymousId)) ?? provisionalIdForAnonymous(customer.anonymousId);
  if (customerId === undefined) throw new TypeError('an erasure names a customer by id, email or anonymous id');
  let named: string = customerId;
  for (let hops = 0; hops < MERGE_HOPS; hops++) {
    const mergedInto: string | undefined = (await readProfile(deps, named))?.mergedInto;
    if (mergedInto === undefined) break;
    named = mergedInto;
  }
  return named;
}

/** The hashes of every address the profile (and the provisional profiles merged into it) went by. */
function addressHashesOf(profile: Profile | undefined, customer: ErasureRequest['customer']): string[] {
  const hashes = [
    ...(profile?.email ? [emailHash(profile.email)] : []),
    ...(customer.email ? [emailHash(customer.email)] : []),
    ...[profile?.customerId ?? '', ...(profile?.mergedFrom ?? [])].flatMap((id) =>
      identityKindOf(id)
        .filter((identity) => identity.kind === 'email')
        .map((identity) => identity.value),
    ),
  ];
  return [...new Set(hashes)];
}

/**
 * Replaces the profile with its tombstone (a conditional write on the version read, like every
 * profile write), or returns the tombstone an earlier attempt wrote.
 */
async function layTombstone(deps: EraseDeps, customerId: string, request: ErasureRequest, mergedInto?: string): Promise<Profile> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await readProfile(deps, customerId);
    if (current?.erasure) return current;
    const at = deps.clock().toISOString();
    const into = current?.mergedInto ?? mergedInto;
    const tombstone: Profile = {
      ...newProfile(customerId, at),
      version: (current?.version ?? 0) + 1,
      // Provisional ids only: what is left to clean if this attempt stops half-way.
      mergedFrom: current?.mergedFrom ?? [],
      ...(into !== undefined && { mergedInto: into }),
      erasure: { at, requestId: request.requestId, addressHashes: addressHashesOf(current, request.customer) },
    };
    if ((await putProfile(deps, tombstone)).ok) return tombstone;
  }
  throw new ConcurrentUpdateError(`could not lay the tombstone of ${customerId}`);
}

/** Deletes every item of the customer's partition but the profile (the tombstone); returns how many. */
async function deletePartition(deps: EraseDeps, customerId: string): Promise<number> {
  let deleted = 0;
  for await (const page of customerItemPages(deps, customerId, { attributes: ['pk', 'sk'] })) {
    const keys = page.filter((item) => item.sk !== PROFILE_SK);
    await batchWriteAll(
      deps,
      keys.map((Key) => ({ DeleteRequest: { Key } })),
    );
    deleted += keys.length;
  }
  return deleted;
}

/** How `customer.erased` names the customer: by their id, or by the anonymous id a visitor was known by. */
function announcedAs(customerId: string): { id: string } | { anonymousId: string } | undefined {
  const [identity] = identityKindOf(customerId);
  if (!identity) return { id: customerId };
  return identity.kind === 'anonymous' ? { anonymousId: identity.value } : undefined;
}

/**
 * @example
 * const report = await eraseCustomer(deps, { customer: { id: 'c-123' }, requestId: 'ticket-4711' });
 */
export async function eraseCustomer(deps: EraseDeps, request: ErasureRequest): Promise<ErasureReport> {
  const customerId = await customerNamed(deps, request.customer);
  const tombstone = await layTombstone(deps, customerId, request);
  const erasure = tombstone.erasure as NonNullable<Profile['erasure']>;
  let runsStopped = Object.keys(await stopRuns(deps, customerId, 'erased')).length;
  let itemsDeleted = await deletePartition(deps, customerId);
  // A visitor's runs stay with their provisional profile when it merges: they stop here too.
  for (const provisional of tombstone.mergedFrom) {
    await layTombstone(deps, provisional, request, customerId);
    runsStopped += Object.keys(await stopRuns(deps, provisional, 'erased')).length;
    itemsDeleted += await deletePartition(deps, provisional);
  }
  for (const hash of erasure.addressHashes) await suppressAddress(deps, hash, 'erased', erasure.at, 'erasure', `request ${erasure.requestId}`);
  const announced = announcedAs(customerId);
  if (announced) {
    await deps.putEvent(DetailTypes.CustomerErased, {
      // One announcement per request, however often it is retried: consumers dedupe on the id.
      eventId: `erased-${erasure.requestId}`,
      occurredAt: erasure.at,
      customer: announced,
      data: { requestId: erasure.requestId, erasedAt: erasure.at, itemsDeleted, runsStopped },
    });
  }
  return { customerId, erasedAt: erasure.at, itemsDeleted, runsStopped, announced: announced !== undefined };
}
