/**
 * What a run of the workload left behind, in the terms two runs are compared in: each customer's
 * profile, the emails each address received, every message key the sender claimed, and the
 * system events heard. The SES inbox is one per process (the local SES keeps its store in a
 * module), so clear it when a cloud starts (`clearInbox`) and read one cloud at a time.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fromProfileItem, readTimeline } from '#shared/profile/store.ts';
import type { Profile } from '#shared/profile/profile.ts';
import type { TimelineEntry } from '#shared/profile/timeline.ts';
import type { TestCloud } from '#tests/support/local-cloud.ts';
import { inbox, systemEvents, type SystemEvent } from '#tests/support/observe.ts';

type Item = Record<string, unknown>;

/** Empties the local SES inbox, which outlives a cloud: the next cloud's emails are its own. */
export async function clearInbox(test: TestCloud): Promise<void> {
  const response = await fetch(`${test.cloud.sesEndpoint}/clear-store`, { method: 'POST' });
  if (!response.ok) throw new Error(`could not clear the SES inbox: ${response.status}`);
}

/** One sent email as an address received it. */
export interface Received {
  readonly template: string;
  readonly subject: string;
  readonly messageKey: string;
}

export interface EndState {
  /** Live profiles (merged provisional ones left out) by customer id. */
  readonly profiles: ReadonlyMap<string, Profile>;
  /** Each live profile's timeline, oldest first. */
  readonly timelines: ReadonlyMap<string, readonly TimelineEntry[]>;
  /** Address → what it received, sorted. */
  readonly emails: ReadonlyMap<string, readonly Received[]>;
  /** Message items by `customerId messageKey`: their status (sending, sent, skipped) and reason. */
  readonly messages: ReadonlyMap<string, { readonly status: string; readonly reason?: string; readonly template: string }>;
  /** Every system event the probe heard (outreach.*, email.*, support.*, journey events). */
  readonly systemEvents: readonly SystemEvent[];
}

async function scanAll(test: TestCloud): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await test.ddb.send(new ScanCommand({ TableName: test.tableName, ConsistentRead: true, ...(start && { ExclusiveStartKey: start }) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Reads the end state. `heard` holds the system events read so far (the probe queue keeps a
 * message four virtual days, so a long run reads it after every step); what is left is added.
 */
export async function readEndState(test: TestCloud, heard: SystemEvent[] = []): Promise<EndState> {
  const items = await scanAll(test);
  const profiles = new Map<string, Profile>();
  const messages = new Map<string, { status: string; reason?: string; template: string }>();
  // The sender marks each message it sent with SES's message id: that ties an email in the inbox
  // to its template and message key.
  const bySesId = new Map<string, { template: string; messageKey: string }>();
  for (const item of items) {
    if (item.sk === 'PROFILE') {
      const profile = fromProfileItem(item);
      if (profile.mergedInto === undefined) profiles.set(profile.customerId, profile);
    } else if (item.kind === 'message') {
      messages.set(`${String(item.customerId)} ${String(item.messageKey)}`, {
        status: String(item.status),
        template: String(item.template),
        ...(item.reason !== undefined && { reason: String(item.reason) }),
      });
      if (typeof item.messageId === 'string') bySesId.set(item.messageId, { template: String(item.template), messageKey: String(item.messageKey) });
    }
  }
  const timelines = new Map<string, TimelineEntry[]>();
  for (const id of profiles.keys()) timelines.set(id, await readTimeline({ ddb: test.ddb, tableName: test.tableName }, id));
  await systemEvents(test, heard);
  const emails = new Map<string, Received[]>();
  for (const email of await inbox(test)) {
    // An email no message item names was sent a second time for a key (the item keeps one id).
    const message = bySesId.get(email.messageId) ?? { template: 'unrecorded', messageKey: 'unrecorded' };
    for (const to of email.destination.to) emails.set(to, [...(emails.get(to) ?? []), { ...message, subject: email.subject }]);
  }
  for (const list of emails.values())
    list.sort((a, b) => a.template.localeCompare(b.template) || a.subject.localeCompare(b.subject) || a.messageKey.localeCompare(b.messageKey));
  return { profiles, timelines, emails, messages, systemEvents: heard };
}

/** Message keys announced as sent more than once. */
export function sentTwice(state: EndState): string[] {
  const seen = new Map<string, number>();
  for (const event of state.systemEvents) {
    if (event['detail-type'] !== 'outreach.sent') continue;
    const key = `${event.detail.customer?.id ?? ''} ${String(event.detail.data.messageKey)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key]) => key);
}
