/** What tests look at from outside the local cloud: the SES inbox, and the system's events (probe queue). */
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ProbeNames } from '#tests/fixtures/probes.ts';
import type { TestCloud } from './local-cloud.ts';

export interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

export async function inbox(test: TestCloud): Promise<StoredEmail[]> {
  const response = await fetch(`${test.cloud.sesEndpoint}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

export const emailsTo = async (test: TestCloud, address: string): Promise<StoredEmail[]> =>
  (await inbox(test)).filter((email) => email.destination.to.includes(address));

/** Marketing email only: it carries the one-click unsubscribe header, which transactional email (order confirmations, replies) does not. */
export const marketingEmailsTo = async (test: TestCloud, address: string): Promise<StoredEmail[]> =>
  (await emailsTo(test, address)).filter((email) => (email.headers ?? []).some((header) => header.name === 'List-Unsubscribe'));

export interface SystemEvent {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: {
    readonly eventId?: string;
    readonly customer?: { readonly id?: string };
    readonly customerId?: string;
    readonly data: Record<string, unknown> & { messageKey?: string; reason?: string; template?: string };
  };
}

/** Every outreach.*, email.*, support.*, customer.erased (from lifecycle) and journey event so far: drains the probe queue into `seen`. */
export async function systemEvents(test: TestCloud, seen: SystemEvent[]): Promise<SystemEvent[]> {
  const { QueueUrl } = await test.sqs.send(new GetQueueUrlCommand({ QueueName: ProbeNames.OutreachEvents }));
  for (;;) {
    const { Messages = [] } = await test.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    if (Messages.length === 0) return seen;
    seen.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}') as SystemEvent));
    // Read once: deleted, so that neither time passing nor a second reader sees them again.
    await test.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })) }),
    );
  }
}
