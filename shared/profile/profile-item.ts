/**
 * The profile as a DynamoDB item. What a person or an analyst asks of a customer — who they are,
 * where they stand, what they bought, what they agreed to — is held in named, typed attributes,
 * so the console, PartiQL, an S3 export and a stream consumer read it as it is. Only bulky derived
 * data (interest vectors, usage by day, recent views, order history) and the bookkeeping that
 * keeps writes exactly once (event marks, field times) are packed into one binary attribute: they
 * would otherwise push an active customer's item over 1 KB, and each write would cost a second
 * write unit.
 *
 * Items written before profiles had attributes hold the whole profile packed in `body`; they are
 * read as they are, and the next write of the profile (a whole-item put) stores it as above.
 */
import { createHash } from 'node:crypto';
import { noticeDueDay } from './consent-notice-due.ts';
import { pack, unpack } from './packing.ts';
import type { Profile } from './profile.ts';
import {
  NOTICE_INDEX,
  NOTICE_SHARDS,
  PROFILE_LEGACY_BODY,
  PROFILE_PACKED,
  STAGE_INDEX,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
  customerIdOf,
  profileKey,
} from './table-design.ts';

// Provisional profiles of anonymous visitors who never identify expire after this long.
export const ANONYMOUS_PROFILE_DAYS = 400;

/**
 * The profile fields stored as attributes of their own, by the same name; the rest is packed. The
 * latest NPS and CSAT answers are readable as `scores.nps` and `scores.csat`: their survey ids and
 * times are packed with the rest.
 */
const READABLE_FIELDS = [
  'version',
  'email',
  'name',
  'locale',
  'timezone',
  'stage',
  'counters',
  'revenue',
  'scores',
  'consent',
  'attribution',
  'subscription',
  'attributes',
  'mergedInto',
  'erasure',
] as const satisfies readonly (keyof Profile)[];

type ReadableField = (typeof READABLE_FIELDS)[number];
/** The customer id is the partition key's: stored once. */
type PackedFields = Omit<Profile, ReadableField | 'customerId'>;

const readable: ReadonlySet<string> = new Set(READABLE_FIELDS);

/** Maps left out of the item while empty (an attribute that says nothing still costs bytes), and read back as such. */
const emptyMaps = (): Pick<Profile, 'attributes' | 'revenue' | 'scores'> => ({ attributes: {}, revenue: {}, scores: {} });
const EMPTY_UNTIL_SET: ReadonlySet<string> = new Set(Object.keys(emptyMaps()));

const isEmptyMap = (name: string, value: unknown): boolean =>
  EMPTY_UNTIL_SET.has(name) && typeof value === 'object' && value !== null && Object.keys(value).length === 0;

/** The customer's entry in the notice index while a notice is due some day; none for a merged profile. */
function noticeIndexKeys(profile: Profile): Record<string, string> {
  const due = profile.mergedInto === undefined ? noticeDueDay(profile) : undefined;
  if (due === undefined) return {};
  const shard = createHash('sha256').update(profile.customerId).digest().readUInt32BE(0) % NOTICE_SHARDS;
  return { [NOTICE_INDEX.partitionKey]: String(shard), [NOTICE_INDEX.sortKey]: due };
}

/**
 * The profile item: the readable fields by name, the rest packed, and the attributes DynamoDB
 * itself must see — the keys of the stage and notice indexes and the expiry of an anonymous
 * visitor's profile. `stage` is the stage index's partition key too, and `version` what every
 * write is conditional on; the customer id is the partition key's (`CUSTOMER#<customerId>`), and
 * the day of the latest activity is the stage index's sort key (`lastActiveDay`), the instant
 * packed: each byte under 1 KB counts.
 */
export function toProfileItem(profile: Profile): Record<string, unknown> {
  const anonymous = profile.customerId.startsWith('anon:');
  const fields = Object.entries(profile).filter(([name, value]) => readable.has(name) && !isEmptyMap(name, value));
  const packed = Object.fromEntries(Object.entries(profile).filter(([name]) => !readable.has(name) && name !== 'customerId'));
  return {
    ...profileKey(profile.customerId),
    ...Object.fromEntries(fields),
    // A merged profile or a tombstone leaves the stage index (a sparse index only holds items with both keys).
    ...(profile.mergedInto === undefined && profile.erasure === undefined && { [STAGE_INDEX.sortKey]: profile.lastActivityAt.slice(0, 10) }),
    ...noticeIndexKeys(profile),
    ...(anonymous && { [TTL_ATTRIBUTE]: Math.floor(Date.parse(profile.lastActivityAt) / 1000) + ANONYMOUS_PROFILE_DAYS * 86_400 }),
    [PROFILE_PACKED]: pack(packed),
  };
}

/** The profile an item holds, in either form (see the module's comment). */
export function fromProfileItem(item: Record<string, unknown>): Profile {
  const legacy = item[PROFILE_LEGACY_BODY];
  if (legacy instanceof Uint8Array) return unpack<Profile>(legacy);
  const packed = item[PROFILE_PACKED];
  if (!(packed instanceof Uint8Array)) throw new TypeError(`profile item ${String(item.pk)} has no packed fields`);
  const fields = Object.fromEntries(Object.entries(item).filter(([name]) => readable.has(name)));
  return { customerId: customerIdOf(String(item[TABLE_KEYS.partitionKey])), ...emptyMaps(), ...unpack<PackedFields>(packed), ...fields } as Profile;
}
