/**
 * Finding a customer and what is known about them: for operators (`lifecycle profile show`) and
 * reports. A customer may be named by id or by email address.
 */
import { readAddress, readMessages, type MessageRecord, type Suppression } from '../outreach/outreach-store.ts';
import { readConsentLedger, type LedgerEntry } from './consent-ledger.ts';
import { emailHash, provisionalIdForEmail } from './identity.ts';
import type { Profile } from './profile.ts';
import { readIdentity, readProfile, readTimeline, type StoreDeps } from './store.ts';
import { stageHistoryOf, type StageStep, type TimelineEntry } from './timeline.ts';

export interface CustomerView {
  readonly profile: Profile;
  /** Every stage change, oldest first. */
  readonly stageHistory: readonly StageStep[];
  /** The latest events, newest first. */
  readonly recent: readonly TimelineEntry[];
  /** The latest emails with their outcome (sent, deferred, skipped and why), newest first. */
  readonly messages: readonly MessageRecord[];
  /** Every consent statement and consent-status notice, oldest first. */
  readonly consentLedger: readonly LedgerEntry[];
  /** Why and since when the customer's address gets no email, when it is suppressed. */
  readonly suppression?: Suppression;
}

/** The customer id for an id or an email address, following merges. */
export async function findCustomerId(deps: StoreDeps, idOrEmail: string): Promise<string | undefined> {
  let customerId = idOrEmail;
  if (idOrEmail.includes('@')) {
    customerId = (await readIdentity(deps, 'email', emailHash(idOrEmail))) ?? provisionalIdForEmail(idOrEmail);
  }
  // A merged profile points at the customer it became (a short chain at most).
  for (let hops = 0; hops < 5; hops++) {
    const profile = await readProfile(deps, customerId);
    if (!profile) return undefined;
    if (profile.mergedInto === undefined) return customerId;
    customerId = profile.mergedInto;
  }
  return customerId;
}

export async function viewCustomer(deps: StoreDeps, idOrEmail: string, recentEvents = 20, recentMessages = 20): Promise<CustomerView | undefined> {
  const customerId = await findCustomerId(deps, idOrEmail);
  if (customerId === undefined) return undefined;
  const [profile, timeline, messages, consentLedger] = await Promise.all([
    readProfile(deps, customerId),
    readTimeline(deps, customerId),
    readMessages(deps, customerId),
    readConsentLedger(deps, customerId),
  ]);
  if (!profile) return undefined;
  const suppression = profile.email === undefined ? undefined : (await readAddress(deps, emailHash(profile.email))).suppressed;
  return {
    profile,
    stageHistory: stageHistoryOf(timeline),
    recent: timeline.slice(-recentEvents).reverse(),
    messages: messages.slice(0, recentMessages),
    consentLedger,
    ...(suppression && { suppression }),
  };
}
