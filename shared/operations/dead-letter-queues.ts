/**
 * The SDK side of dead letters: looking into the dead-letter queues and sending their messages
 * back. Kept thin: what a message is and where it goes is decided in dead-letters.ts.
 *
 * Messages are looked at by receiving them (hidden for a while, so one pass sees each once) and
 * made visible again at the end; a redriven message is deleted only after it was re-sent. Each
 * pass takes at most the messages the queue held when it began, so a message that fails again and
 * comes straight back is left for the next run instead of going round in circles.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { classify, decide, summarize, type Classification, type DeadLetter, type DeadLetterSummary, type RedriveOptions, type Resend } from './dead-letters.ts';
import { sendDirect, type DirectResend, type RuleTargets } from './direct-resend.ts';

export interface DeadLetterQueue {
  /** The name in the stack's `DeadLetterQueues` output, e.g. `buy-workflow`. */
  readonly name: string;
  readonly url: string;
}

export interface DeadLetterDeps {
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  /** Where events go back to. */
  readonly eventBusName: string;
  /** Where send requests go back to. */
  readonly outreachQueueUrl: string;
  /** For what goes straight to a function or a rule's target (an AWS service's event, a custom input). */
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
}

export interface Progress {
  readonly queue: string;
  /** Messages examined so far in this queue. */
  readonly examined: number;
}

const MAX_BATCH = 10;
const MAX_PUT_EVENTS_BYTES = 256 * 1024;
/** Long enough to look at a whole queue in one pass; the messages are made visible again after it. */
const PEEK_VISIBILITY_SECONDS = 30;
/** A redrive holds the messages it leaves until it ends; if it is interrupted, they come back after this. */
const REDRIVE_VISIBILITY_SECONDS = 900;
/** What a list looks at, at most, per queue: enough for the reasons; the count is exact anyway. */
export const DEFAULT_PEEK_LIMIT = 1000;

interface Received {
  readonly receiptHandle: string;
  readonly letter: DeadLetter;
}

/** Messages in the queue now: visible, and received by someone else (in flight). */
export async function countMessages(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

function toReceived(message: Message): Received | undefined {
  if (!message.MessageId || !message.ReceiptHandle) return undefined;
  const attributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) => (value.StringValue === undefined ? [] : [[name, value.StringValue] as const])),
  );
  return { receiptHandle: message.ReceiptHandle, letter: { messageId: message.MessageId, body: message.Body ?? '', attributes } };
}

/**
 * Receives up to `limit` messages, a batch at a time, each once. Stops early when the queue has
 * nothing new: empty, or only messages seen before (their hiding ran out during a long pass).
 */
async function* receiveOnce(sqs: SQSClient, url: string, limit: number, visibilitySeconds: number): AsyncGenerator<Received[]> {
  const seen = new Set<string>();
  while (seen.size < limit) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(MAX_BATCH, limit - seen.size),
        VisibilityTimeout: visibilitySeconds,
        // A short long poll asks every SQS server, where a short poll samples some; it only waits
        // when the queue holds fewer messages than it counted.
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = Messages.map(toReceived).filter((received): received is Received => received !== undefined && !seen.has(received.letter.messageId));
    if (fresh.length === 0) return;
    for (const received of fresh) seen.add(received.letter.messageId);
    yield fresh;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Makes messages visible again. Best effort: a message whose hiding already ran out, or that was
 * deleted meanwhile, cannot be changed, and one this fails for comes back after its timeout anyway.
 */
async function release(sqs: SQSClient, url: string, handles: readonly string[]): Promise<void> {
  for (const batch of chunks(handles, MAX_BATCH)) {
    try {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: batch.map((handle, index) => ({ Id: String(index), ReceiptHandle: handle, VisibilityTimeout: 0 })),
        }),
      );
    } catch {
      // See above: the visibility timeout is the fallback.
    }
  }
}

export interface QueuePeek extends DeadLetterSummary {
  readonly queue: string;
  /** Messages in the queue (visible when the list began). */
  readonly messages: number;
  /** Messages someone else had received at the time (not examined). */
  readonly inFlight: number;
}

/**
 * Counts a queue's messages and sums up what they are, changing nothing: every message received
 * is made visible again.
 */
export async function peekQueue(
  sqs: SQSClient,
  queue: DeadLetterQueue,
  options: { limit?: number; onProgress?: (progress: Progress) => void } = {},
): Promise<QueuePeek> {
  const counts = await countMessages(sqs, queue.url);
  const classifications: Classification[] = [];
  const handles: string[] = [];
  try {
    const limit = Math.min(counts.visible, options.limit ?? DEFAULT_PEEK_LIMIT);
    for await (const batch of receiveOnce(sqs, queue.url, limit, PEEK_VISIBILITY_SECONDS)) {
      for (const received of batch) {
        handles.push(received.receiptHandle);
        classifications.push(classify(queue.name, received.letter));
      }
      options.onProgress?.({ queue: queue.name, examined: classifications.length });
    }
  } finally {
    await release(sqs, queue.url, handles);
  }
  return { queue: queue.name, messages: counts.visible, inFlight: counts.inFlight, ...summarize(classifications) };
}

/** The outcome of re-sending one message: sent, or the error code that refused it. */
type SendOutcome = { readonly ok: true } | { readonly ok: false; readonly code: string };
type BusResend = Extract<Resend, { to: 'bus' }>;
type QueueResend = Extract<Resend, { to: 'outreach-queue' }>;

/** PutEvents in calls of at most 10 entries and 256 KB, each entry's outcome reported on its own. */
async function putEvents(deps: DeadLetterDeps, resends: readonly BusResend[]): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  let call: PutEventsRequestEntry[] = [];
  let bytes = 0;
  const flush = async () => {
    if (call.length === 0) return;
    const { Entries = [] } = await deps.events.send(new PutEventsCommand({ Entries: call }));
    // Entries come back in request order; an entry with an ErrorCode was not put on the bus.
    outcomes.push(
      ...call.map((_, index): SendOutcome => {
        const code = Entries[index]?.ErrorCode;
        return code === undefined && Entries[index]?.EventId ? { ok: true } : { ok: false, code: code ?? 'NoEventId' };
      }),
    );
    call = [];
    bytes = 0;
  };
  for (const resend of resends) {
    const entry = { EventBusName: deps.eventBusName, Source: resend.source, DetailType: resend.detailType, Detail: resend.detail };
    // As EventBridge counts an entry: its strings, plus 14 bytes for the time.
    const size = Buffer.byteLength(entry.Detail) + Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + 14;
    if (call.length === MAX_BATCH || bytes + size > MAX_PUT_EVENTS_BYTES) await flush();
    call.push(entry);
    bytes += size;
  }
  await flush();
  return outcomes;
}

async function sendRequests(deps: DeadLetterDeps, resends: readonly QueueResend[]): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  for (const batch of chunks(resends, MAX_BATCH)) {
    const { Failed = [] } = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.outreachQueueUrl,
        Entries: batch.map((resend, index) => ({ Id: String(index), MessageBody: resend.body })),
      }),
    );
    const failed = new Map(Failed.map((entry) => [entry.Id, entry.Code ?? 'Failed']));
    outcomes.push(
      ...batch.map((_, index): SendOutcome => {
        const code = failed.get(String(index));
        return code === undefined ? { ok: true } : { ok: false, code };
      }),
    );
  }
  return outcomes;
}

/** Re-sends each message where it goes; the outcomes are in the order given. */
async function resendAll(deps: DeadLetterDeps, resends: readonly Resend[]): Promise<SendOutcome[]> {
  const toBus = resends.filter((resend): resend is BusResend => resend.to === 'bus');
  const toQueue = resends.filter((resend): resend is QueueResend => resend.to === 'outreach-queue');
  const outcomes = new Map<Resend, SendOutcome>();
  const busOutcomes = await putEvents(deps, toBus);
  for (const [index, resend] of toBus.entries()) outcomes.set(resend, busOutcomes[index] ?? { ok: false, code: 'NoOutcome' });
  const queueOutcomes = await sendRequests(deps, toQueue);
  for (const [index, resend] of toQueue.entries()) outcomes.set(resend, queueOutcomes[index] ?? { ok: false, code: 'NoOutcome' });
  const direct = resends.filter((resend): resend is DirectResend => resend.to === 'rule-target' || resend.to === 'function');
  const targets: RuleTargets = new Map();
  for (const resend of direct) outcomes.set(resend, await sendDirect(deps, resend, targets));
  return resends.map((resend) => outcomes.get(resend) ?? { ok: false, code: 'NoOutcome' });
}

/** Why messages were left, counted. */
export interface LeftCount {
  readonly why: string;
  readonly reason: string;
  readonly count: number;
}

export interface QueueRedrive {
  readonly queue: string;
  readonly examined: number;
  /** Sent back and deleted (in a dry run: would be). */
  readonly redriven: number;
  /** Sent back but still in the queue, because deleting failed: a later redrive sends them again, which consumers ignore. */
  readonly notDeleted: number;
  readonly left: number;
  readonly leftBy: readonly LeftCount[];
}

function countLeft(left: Map<string, LeftCount>, why: string, reason: string): void {
  const key = `${why}\u0000${reason}`;
  left.set(key, { why, reason, count: (left.get(key)?.count ?? 0) + 1 });
}

/**
 * Takes the messages off one dead-letter queue and sends back those the options allow; deletes a
 * message only once it was re-sent. A dry run receives and classifies, and changes nothing else.
 *
 * @throws when a whole call fails (access denied, a network error): the messages not yet
 *   redriven are made visible again first.
 */
export async function redriveQueue(
  deps: DeadLetterDeps,
  queue: DeadLetterQueue,
  options: RedriveOptions & { dryRun?: boolean; onProgress?: (progress: Progress) => void } = {},
): Promise<QueueRedrive> {
  const { visible } = await countMessages(deps.sqs, queue.url);
  const kept: string[] = [];
  const left = new Map<string, LeftCount>();
  let examined = 0;
  let redriven = 0;
  let notDeleted = 0;
  try {
    for await (const batch of receiveOnce(deps.sqs, queue.url, visible, REDRIVE_VISIBILITY_SECONDS)) {
      examined += batch.length;
      const toSend: { received: Received; resend: Resend; reason: string }[] = [];
      for (const received of batch) {
        const classification = classify(queue.name, received.letter);
        const decision = decide(classification, options);
        if (decision.action === 'redrive') {
          toSend.push({ received, resend: decision.resend, reason: classification.reason });
        } else {
          kept.push(received.receiptHandle);
          countLeft(left, decision.why, classification.reason);
        }
      }
      if (options.dryRun) {
        kept.push(...toSend.map((item) => item.received.receiptHandle));
        redriven += toSend.length;
      } else if (toSend.length > 0) {
        const outcomes = await resendAll(
          deps,
          toSend.map((item) => item.resend),
        ).catch((error: unknown) => {
          kept.push(...toSend.map((item) => item.received.receiptHandle));
          throw error;
        });
        const sent: string[] = [];
        toSend.forEach((item, index) => {
          const outcome = outcomes[index];
          if (outcome?.ok) {
            sent.push(item.received.receiptHandle);
          } else {
            kept.push(item.received.receiptHandle);
            countLeft(left, `re-sending failed (${outcome?.code ?? 'unknown'}): tried again on the next redrive`, item.reason);
          }
        });
        // Only now, once they are back where they are processed, do they leave the dead-letter queue.
        const undeleted = await deleteMessages(deps.sqs, queue.url, sent);
        notDeleted += undeleted;
        redriven += sent.length - undeleted;
      }
      options.onProgress?.({ queue: queue.name, examined });
    }
  } finally {
    await release(deps.sqs, queue.url, kept);
  }
  const leftBy = [...left.values()].sort((a, b) => b.count - a.count);
  return { queue: queue.name, examined, redriven, notDeleted, left: leftBy.reduce((sum, entry) => sum + entry.count, 0), leftBy };
}

/** Deletes messages; returns how many could not be deleted. */
async function deleteMessages(sqs: SQSClient, url: string, handles: readonly string[]): Promise<number> {
  let failed = 0;
  for (const batch of chunks(handles, MAX_BATCH)) {
    const { Failed = [] } = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((handle, index) => ({ Id: String(index), ReceiptHandle: handle })) }),
    );
    failed += Failed.length;
  }
  return failed;
}
