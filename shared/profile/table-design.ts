/**
 * The single-table design of the profile store. The CDK construct that creates the table and the
 * code that reads and writes it both take their names from here.
 *
 * | item           | pk                          | sk                              | holds                                  |
 * |----------------|-----------------------------|---------------------------------|----------------------------------------|
 * | profile        | `CUSTOMER#<customerId>`     | `PROFILE`                       | the profile (profile.ts) as named attributes, derived data packed in `packed` (profile-item.ts); `lastActiveDay` |
 * | timeline entry | `CUSTOMER#<customerId>`     | `EVENT#<occurredAt>#<eventId>`  | one recorded event (`data`, or `packedData` when large), oldest first; `expiresAt` |
 * | consent ledger | `CUSTOMER#<customerId>`     | `CONSENT#<at>#<eventId or notice>` | one consent statement (topic, yes/no, where from, the wording's version) or consent-status notice; never expires (consent-ledger.ts) |
 * | identity       | `IDENTITY#ANON#<anonymousId>` or `IDENTITY#EMAIL#<sha256(email)>` | `IDENTITY` | the customer id it belongs to |
 * | message        | `CUSTOMER#<customerId>`     | `MESSAGE#<messageKey>`          | one email: claimed, sent, skipped; its feedback |
 * | outreach state | `CUSTOMER#<customerId>`     | `OUTREACH`                      | recent marketing send times, engagement counters |
 * | address        | `ADDRESS#<sha256(email)>`   | `ADDRESS`                       | suppression of an address, soft-bounce count |
 * | membership     | `CUSTOMER#<customerId>`     | `JOURNEY#<journey>`             | the customer's active run of a journey and its participant's progress (journeys/participant.ts), last entry and exit |
 * | journey metrics| `JOURNEY#<journey>`         | `METRICS#v<version>`            | entered, converted, … and messages per step, as counters |
 * | segment        | `SEGMENT#<segment>`         | `SNAPSHOT`                      | the latest scheduled evaluation: members, examined, when |
 *
 * Index `byStageActivity` (keys only): partition `stage`, sort `lastActiveDay` (YYYY-MM-DD), on
 * profiles only. It lists the customers in a stage, most recently active first. The day, not the
 * instant, is the sort key so that the index is rewritten once a day per active customer rather
 * than on every event: an index write costs a write unit like a table write.
 *
 * The profile's readable fields are attributes of their own; its bulky derived data is packed (see
 * packing.ts) so that an active customer's item stays under 1 KB — one write unit.
 *
 * Look-up by email uses the email identity item (GetItem, strongly consistent, and a conditional
 * put keeps an address from being claimed by two customers — an index could do neither).
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const STAGE_INDEX = { name: 'byStageActivity', partitionKey: 'stage', sortKey: 'lastActiveDay' } as const;

/**
 * Index `byConsentNoticeDue` (keys only, sparse): the profiles of customers with consent in force
 * and an address, by the day their consent-status notice is due. The daily notice job queries each
 * shard up to today, so a customer costs nothing while their two years run. The shard (of
 * NOTICE_SHARDS, from the customer id) spreads the index's writes: a bulk import of consenting
 * customers would otherwise write one index partition only.
 */
export const NOTICE_INDEX = { name: 'byConsentNoticeDue', partitionKey: 'noticeShard', sortKey: 'noticeDueDay' } as const;
export const NOTICE_SHARDS = 8;

/**
 * The write units an index spends when an item's entry in it changes (keys-only entries fit in
 * one unit): none when unchanged, one to add or remove the entry, two to move it (a delete and a
 * put). `undefined` is no entry.
 */
export function indexEntryWrites(before: string | undefined, after: string | undefined): number {
  if (before === after) return 0;
  return before !== undefined && after !== undefined ? 2 : 1;
}

/** Items with this attribute (epoch seconds) are deleted by DynamoDB's time to live. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const PROFILE_SK = 'PROFILE';
/** The attribute that holds a profile's bulky derived data and bookkeeping, packed (profile-item.ts). */
export const PROFILE_PACKED = 'packed';
/** Where profiles written before they had attributes hold the whole profile, packed: read, never written. */
export const PROFILE_LEGACY_BODY = 'body';
export const TIMELINE_SK_PREFIX = 'EVENT#';
export const IDENTITY_SK = 'IDENTITY';

export const MESSAGE_SK_PREFIX = 'MESSAGE#';
export const CONSENT_SK_PREFIX = 'CONSENT#';
export const OUTREACH_SK = 'OUTREACH';
export const ADDRESS_SK = 'ADDRESS';

export const MEMBERSHIP_SK_PREFIX = 'JOURNEY#';

export type IdentityKind = 'anonymous' | 'email';

const CUSTOMER_PK_PREFIX = 'CUSTOMER#';
export const customerPk = (customerId: string): string => `${CUSTOMER_PK_PREFIX}${customerId}`;
/** The customer id a customer partition key holds. */
export const customerIdOf = (pk: string): string => (pk.startsWith(CUSTOMER_PK_PREFIX) ? pk.slice(CUSTOMER_PK_PREFIX.length) : pk);

export const profileKey = (customerId: string) => ({ pk: customerPk(customerId), sk: PROFILE_SK });

/** `occurredAt` is normalised to UTC so that entries sort by time. */
export const timelineKey = (customerId: string, occurredAt: string, eventId: string) => ({
  pk: customerPk(customerId),
  sk: `${TIMELINE_SK_PREFIX}${new Date(occurredAt).toISOString()}#${eventId}`,
});

/** `at` is normalised to UTC so that entries sort by time; `id` is the event's id, or the notice's. */
export const consentLedgerKey = (customerId: string, at: string, id: string) => ({
  pk: customerPk(customerId),
  sk: `${CONSENT_SK_PREFIX}${new Date(at).toISOString()}#${id}`,
});

export const messageKey = (customerId: string, key: string) => ({ pk: customerPk(customerId), sk: `${MESSAGE_SK_PREFIX}${key}` });

export const outreachStateKey = (customerId: string) => ({ pk: customerPk(customerId), sk: OUTREACH_SK });

export const membershipKey = (customerId: string, journey: string) => ({ pk: customerPk(customerId), sk: `${MEMBERSHIP_SK_PREFIX}${journey}` });

export const JOURNEY_PK_PREFIX = 'JOURNEY#';
export const journeyMetricsKey = (journey: string, version: number) => ({ pk: `${JOURNEY_PK_PREFIX}${journey}`, sk: `METRICS#v${version}` });

/** The latest scheduled evaluation of a segment: its member count and when. */
export const SEGMENT_PK_PREFIX = 'SEGMENT#';
export const segmentSnapshotKey = (segment: string) => ({ pk: `${SEGMENT_PK_PREFIX}${segment}`, sk: 'SNAPSHOT' });
/** A segment's member count on a day (YYYY-MM-DD), the day's latest evaluation: its size over time. */
export const SEGMENT_HISTORY_SK_PREFIX = 'SNAPSHOT#';
export const segmentHistoryKey = (segment: string, day: string) => ({ pk: `${SEGMENT_PK_PREFIX}${segment}`, sk: `${SEGMENT_HISTORY_SK_PREFIX}${day}` });

/** @param hash - the email's hash (never the address) */
export const addressKey = (hash: string) => ({ pk: `ADDRESS#${hash}`, sk: ADDRESS_SK });

/** @param value - the anonymous id, or the email's hash (never the address) */
export const identityKey = (kind: IdentityKind, value: string) => ({
  pk: `IDENTITY#${kind === 'anonymous' ? 'ANON' : 'EMAIL'}#${value}`,
  sk: IDENTITY_SK,
});
