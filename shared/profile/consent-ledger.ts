/**
 * The consent ledger: the proof of what each customer agreed to. One item per event that made a
 * consent statement — when, what (each topic, or all marketing email, yes or no), from where (the
 * event, its source, and where the customer said it: a form, the preference page, a one-click
 * unsubscribe, an import) and the version of the wording they saw when the source gives one — and
 * one per consent-status notice sent (consent-notice.ts).
 *
 * Entries never expire: the timeline does, but the proof of consent must outlive it. They are
 * written only for events that state consent, which are rare, so the extra write unit costs
 * little (the hot path stays at two for every other event). A conditional put makes each entry
 * once, so a retry or a redelivery leaves the first one as it was.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../clients/batch-write.ts';
import type { CatalogEvent } from '../events/catalog.ts';
import type { Topic } from '../events/fields.ts';
import { consentSaidBy, type ConsentStatement } from './consent-statements.ts';
import { customerItemPages } from './customer-items.ts';
import { ANONYMOUS_PROFILE_DAYS, type StoreDeps } from './store.ts';
import { CONSENT_SK_PREFIX, TTL_ATTRIBUTE, consentLedgerKey, customerPk } from './table-design.ts';

interface EntryBase {
  readonly customerId: string;
  /** When it was said (the event's `occurredAt`) or sent. */
  readonly at: string;
  readonly recordedAt: string;
}

export interface StatementEntry extends EntryBase {
  readonly type: 'statement';
  readonly statements: readonly ConsentStatement[];
  readonly eventId: string;
  readonly detailType: string;
  /** The event's source: the system that reported it (`lifecycle` for the preference page and one-click unsubscribe). */
  readonly source: string;
  readonly via?: string;
  readonly wordingVersion?: string;
}

export interface NoticeEntry extends EntryBase {
  readonly type: 'notice';
  /** The day it was due: one notice per due day, however often the job that sends it runs. */
  readonly dueDay: string;
  /** The notice email's message key: its outcome is in the customer's message log. */
  readonly messageKey: string;
  /** The consents the notice told of, each with the time it was given. */
  readonly consents: readonly { readonly topic: Topic | 'all'; readonly since: string }[];
}

export type LedgerEntry = StatementEntry | NoticeEntry;

const ITEM_KIND = 'consent';

/** The ledger entry an event makes for a customer; undefined for an event that states no consent. */
export function statementEntryOf(event: CatalogEvent, customerId: string, recordedAt: string): StatementEntry | undefined {
  const said = consentSaidBy(event);
  if (!said) return undefined;
  return {
    type: 'statement',
    customerId,
    at: new Date(event.detail.occurredAt).toISOString(),
    recordedAt,
    statements: said.statements,
    eventId: event.detail.eventId,
    detailType: event.detailType,
    source: event.source,
    ...(said.via && { via: said.via }),
    ...(said.wordingVersion && { wordingVersion: said.wordingVersion }),
  };
}

/** A statement is keyed by its event; a notice by the day it was due, so a retry on a later day finds it. */
const keyOf = (entry: LedgerEntry) =>
  entry.type === 'statement' ? consentLedgerKey(entry.customerId, entry.at, entry.eventId) : consentLedgerKey(entry.customerId, entry.dueDay, 'notice');

/**
 * An anonymous visitor's entries expire with their provisional profile, unless it is merged into
 * a customer first (the merge's copy holds no expiry).
 */
function expiryOf(entry: LedgerEntry): Record<string, number> {
  if (!entry.customerId.startsWith('anon:')) return {};
  return { [TTL_ATTRIBUTE]: Math.floor(Date.parse(entry.at) / 1000) + ANONYMOUS_PROFILE_DAYS * 86_400 };
}

/** Writes an entry unless it is there already. @returns the write units spent */
export async function putLedgerEntry(deps: StoreDeps, entry: LedgerEntry): Promise<number> {
  try {
    const { ConsumedCapacity } = await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...keyOf(entry), kind: ITEM_KIND, ...entry, ...expiryOf(entry) },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return ConsumedCapacity?.CapacityUnits ?? 0;
  } catch (error) {
    // There already: a failed condition still costs the write unit.
    if (error instanceof ConditionalCheckFailedException) return 1;
    throw error;
  }
}

const ledgerPages = (deps: StoreDeps, customerId: string) => customerItemPages(deps, customerId, { prefix: CONSENT_SK_PREFIX });

/**
 * A customer's consent ledger, oldest first.
 *
 * @example
 * for (const entry of await readConsentLedger(store, 'c-123')) console.log(entry.at, entry.type);
 */
export async function readConsentLedger(deps: StoreDeps, customerId: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for await (const items of ledgerPages(deps, customerId)) {
    for (const { pk: _pk, sk: _sk, kind: _kind, [TTL_ATTRIBUTE]: _ttl, ...entry } of items) entries.push(entry as unknown as LedgerEntry);
  }
  // A notice is keyed by the day it was due; it sorts by when it went out.
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** Copies a provisional customer's ledger under the customer it was merged into (idempotent puts, 25 a call). */
export async function copyConsentLedger(deps: StoreDeps, fromCustomerId: string, toCustomerId: string): Promise<number> {
  let copied = 0;
  for await (const page of ledgerPages(deps, fromCustomerId)) {
    const puts = page.map(({ [TTL_ATTRIBUTE]: _ttl, ...item }) => ({
      PutRequest: { Item: { ...item, pk: customerPk(toCustomerId), customerId: toCustomerId } },
    }));
    await batchWriteAll(deps, puts);
    copied += puts.length;
  }
  return copied;
}
