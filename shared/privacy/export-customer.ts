/**
 * Everything held about a customer, as one document a person can read: the profile unpacked,
 * how they are known, their stage history and timeline, their journeys, every email with its
 * feedback, survey answers, consent, and whether their address is suppressed. It reads the whole
 * of the customer's partition, so an item of a kind added later still shows (under `other`)
 * rather than being left out.
 */
import { DetailTypes } from '../events/catalog.ts';
import { readAddress, type AddressRecord, type MessageRecord } from '../outreach/outreach-store.ts';
import { emailHash } from '../profile/identity.ts';
import { findCustomerId } from '../profile/lookup.ts';
import type { Profile } from '../profile/profile.ts';
import { readConsentLedger, type LedgerEntry } from '../profile/consent-ledger.ts';
import { customerItems } from '../profile/customer-items.ts';
import { fromProfileItem, type StoreDeps } from '../profile/store.ts';
import { CONSENT_SK_PREFIX, MEMBERSHIP_SK_PREFIX, MESSAGE_SK_PREFIX, OUTREACH_SK, PROFILE_SK, TIMELINE_SK_PREFIX } from '../profile/table-design.ts';
import { fromTimelineItem, stageHistoryOf, type StageStep, type TimelineEntry } from '../profile/timeline.ts';

type Item = Record<string, unknown>;

export interface CustomerExport {
  readonly exportedAt: string;
  readonly customerId: string;
  readonly profile: Profile;
  readonly identities: { readonly email?: string; readonly anonymousIds: readonly string[]; readonly mergedFrom: readonly string[] };
  readonly stageHistory: readonly StageStep[];
  /** Every recorded event still kept, oldest first. */
  readonly timeline: readonly TimelineEntry[];
  /** One entry per journey the customer was ever in: the active run and where it stands, the last entry and exit. */
  readonly journeys: readonly Item[];
  /** Every email: sent, deferred or skipped (and why), with its feedback; newest first. */
  readonly messages: readonly MessageRecord[];
  readonly surveys: readonly { readonly occurredAt: string; readonly data: unknown }[];
  /** Consent as it stands, and the ledger of every statement and notice: when, what, from where, the wording's version. */
  readonly consent: { readonly current: Profile['consent']; readonly ledger: readonly LedgerEntry[] };
  /** The address's suppression (why and since when) and soft bounces. */
  readonly address?: AddressRecord;
  /** Frequency cap and engagement counters. */
  readonly outreach?: Item;
  /** Items of kinds this export does not know by name: kept in, never left out. */
  readonly other: readonly Item[];
}

const withoutKeys = ({ pk: _pk, sk: _sk, ...rest }: Item): Item => rest;

/** Undefined when nothing is held about the customer (or only a tombstone: they were erased). */
export async function exportCustomer(deps: StoreDeps & { readonly clock: () => Date }, idOrEmail: string): Promise<CustomerExport | undefined> {
  const customerId = await findCustomerId(deps, idOrEmail);
  if (customerId === undefined) return undefined;
  const items = await customerItems(deps, customerId);
  const profileItem = items.find((item) => item.sk === PROFILE_SK);
  if (!profileItem) return undefined;
  const profile = fromProfileItem(profileItem);
  if (profile.erasure) return undefined;
  const bySk = (prefix: string) => items.filter((item) => String(item.sk).startsWith(prefix));
  const timeline = bySk(TIMELINE_SK_PREFIX).map(fromTimelineItem);
  const messages = (bySk(MESSAGE_SK_PREFIX).map(withoutKeys) as unknown as MessageRecord[]).sort((a, b) =>
    String(b.claimedAt).localeCompare(String(a.claimedAt)),
  );
  const known = [PROFILE_SK, OUTREACH_SK];
  const named = [TIMELINE_SK_PREFIX, MESSAGE_SK_PREFIX, MEMBERSHIP_SK_PREFIX, CONSENT_SK_PREFIX];
  const outreach = items.find((item) => item.sk === OUTREACH_SK);
  return {
    exportedAt: deps.clock().toISOString(),
    customerId,
    profile,
    identities: { ...(profile.email && { email: profile.email }), anonymousIds: profile.anonymousIds, mergedFrom: profile.mergedFrom },
    stageHistory: stageHistoryOf(timeline),
    timeline,
    journeys: bySk(MEMBERSHIP_SK_PREFIX).map((item) => ({ journey: String(item.sk).slice(MEMBERSHIP_SK_PREFIX.length), ...withoutKeys(item) })),
    messages,
    surveys: timeline.filter((entry) => entry.detailType === DetailTypes.SurveyResponded).map((entry) => ({ occurredAt: entry.occurredAt, data: entry.data })),
    consent: { current: profile.consent, ledger: await readConsentLedger(deps, customerId) },
    ...(profile.email && { address: await readAddress(deps, emailHash(profile.email)) }),
    ...(outreach && { outreach: withoutKeys(outreach) }),
    other: items.filter((item) => !known.includes(String(item.sk)) && !named.some((prefix) => String(item.sk).startsWith(prefix))),
  };
}
