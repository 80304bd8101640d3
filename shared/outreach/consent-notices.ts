/**
 * The consent-status notice (정보통신망법 Article 50(8)): once a day, every customer whose notice
 * is due — two years after they consented to marketing email, or after their last notice — is
 * sent one through the outreach queue (transactional: it is no advertising), and it is recorded
 * on their consent ledger and profile.
 *
 * The customers due are read from the notice index, which holds each consenting customer under the
 * day their notice is due: the daily run reads only those due, so a customer costs nothing while
 * their two years run. Per customer, in this order, so that a crash anywhere is finished by the next
 * run and nobody gets two notices: the send request (its message key names the due day, so the
 * sender sends it once), the ledger entry (keyed by the due day, written once), then the profile,
 * whose new notice time moves the due day two years on.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../errors.ts';
import { putLedgerEntry } from '../profile/consent-ledger.ts';
import { consentsInForce, noticeDueDay } from '../profile/consent-notice-due.ts';
import { putProfile, readProfile, type StoreDeps } from '../profile/store.ts';
import { NOTICE_INDEX, NOTICE_SHARDS } from '../profile/table-design.ts';
import type { SendRequestInput } from './request.ts';

export const CONSENT_NOTICE_TEMPLATE = 'consent-notice';

export interface ConsentNoticeDeps extends StoreDeps {
  readonly now: Date;
  /** Puts a send request on the outreach queue. */
  readonly enqueue: (request: SendRequestInput) => Promise<void>;
  /** @default 10 */
  readonly maxAttempts?: number;
}

export interface ConsentNoticeReport {
  /** Customers the index listed as due. */
  readonly due: number;
  /** Notices asked for (and recorded). */
  readonly sent: number;
}

/** The customer ids due by `today`, shard by shard. */
async function* customersDue(deps: StoreDeps, today: string): AsyncGenerator<string> {
  for (let shard = 0; shard < NOTICE_SHARDS; shard++) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await deps.ddb.send(
        new QueryCommand({
          TableName: deps.tableName,
          IndexName: NOTICE_INDEX.name,
          KeyConditionExpression: '#shard = :shard AND #due <= :today',
          ExpressionAttributeNames: { '#shard': NOTICE_INDEX.partitionKey, '#due': NOTICE_INDEX.sortKey },
          ExpressionAttributeValues: { ':shard': String(shard), ':today': today },
          ExclusiveStartKey,
        }),
      );
      // Keys only: the profile's key names the customer.
      for (const item of page.Items ?? []) yield String(item.pk).slice('CUSTOMER#'.length);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}

/** Records on the profile that the notice due on `dueDay` went out, unless a write did already. */
async function markNoticed(deps: ConsentNoticeDeps, customerId: string, dueDay: string, at: string): Promise<void> {
  for (let attempt = 1; attempt <= (deps.maxAttempts ?? 10); attempt++) {
    const profile = await readProfile(deps, customerId);
    if (!profile || noticeDueDay(profile) !== dueDay) return;
    if ((await putProfile(deps, { ...profile, version: profile.version + 1, consentNoticeAt: at, updatedAt: at })).ok) return;
  }
  throw new ConcurrentUpdateError(`could not record the consent notice of ${customerId}`);
}

/** Sends one customer their notice, if it is still due: their consent may have changed since the index was read. */
async function noticeCustomer(deps: ConsentNoticeDeps, customerId: string, today: string): Promise<boolean> {
  const profile = await readProfile(deps, customerId);
  const dueDay = profile && profile.mergedInto === undefined ? noticeDueDay(profile) : undefined;
  if (!profile || dueDay === undefined || dueDay > today) return false;
  const at = deps.now.toISOString();
  const consents = consentsInForce(profile.consent.email);
  const messageKey = `${CONSENT_NOTICE_TEMPLATE}:${dueDay}`;
  await deps.enqueue({
    version: 1,
    messageKey,
    customerId,
    template: CONSENT_NOTICE_TEMPLATE,
    kind: 'transactional',
    variables: { consents },
    personalize: { preferencesLink: true },
    origin: { workflow: CONSENT_NOTICE_TEMPLATE },
  });
  await putLedgerEntry(deps, { type: 'notice', customerId, at, recordedAt: at, dueDay, messageKey, consents });
  await markNoticed(deps, customerId, dueDay, at);
  return true;
}

/**
 * @example
 * const report = await sendConsentNotices({ ddb, tableName, now: new Date(), enqueue });
 */
export async function sendConsentNotices(deps: ConsentNoticeDeps): Promise<ConsentNoticeReport> {
  const today = deps.now.toISOString().slice(0, 10);
  let due = 0;
  let sent = 0;
  for await (const customerId of customersDue(deps, today)) {
    due++;
    if (await noticeCustomer(deps, customerId, today)) sent++;
  }
  return { due, sent };
}
