/**
 * One queue: its messages and their life on the virtual clock — delay, visibility timeout,
 * retention — plus FIFO ordering and deduplication. Callers that wait for messages (long polls,
 * Lambda pollers) subscribe with `onAvailable`; the queue tells them when a message may have become
 * receivable, using one clock timer for the next message to become visible, so nothing polls.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '#local/clock.ts';
import { invalidParameter, messageNotInflight, missingParameter, receiptHandleIsInvalid } from '#local/sqs/errors.ts';
import { contentDeduplicationId, DeduplicationCache } from '#local/sqs/fifo.ts';
import { md5Hex, md5OfMessageAttributes } from '#local/sqs/md5.ts';
import { optional } from '#local/sqs/optional.ts';
import type { MessageAttributes, ReceivedMessage, StoredMessage } from '#local/sqs/message.ts';
import type { QueueDefinition } from '#local/sqs/queue-definition.ts';
import { newReceiptHandle, parseReceiptHandle } from '#local/sqs/receipt-handle.ts';
import { checkAttributes, checkBody, checkRange, checkSize } from '#local/sqs/validation.ts';

export const MAX_DELAY_SECONDS = 900;
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

export interface SendInput {
  readonly body: string | undefined;
  readonly messageAttributes?: MessageAttributes;
  readonly delaySeconds?: number;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly senderId: string;
}

export interface SendResult {
  readonly messageId: string;
  readonly md5OfMessageBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly sequenceNumber?: string;
}

export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface QueueDeps {
  readonly clock: Clock;
  /**
   * Takes a message received more often than the redrive policy allows into the dead-letter
   * queue; false when it cannot (the dead-letter queue does not exist), so the message stays.
   */
  readonly deadLetter: (message: StoredMessage, source: Queue) => boolean;
  /** Told of every message sent to a standard queue, to deliver a copy (`enqueueCopy`) when that mode is on. */
  readonly sent?: (message: StoredMessage) => void;
}

const SECOND = 1000;

/** How the queue finds a message: its id, and for a copy delivered again, which copy. */
const storageKey = (message: StoredMessage): string => (message.copy === undefined ? message.messageId : `${message.messageId}#${message.copy}`);

export class Queue {
  readonly createdTimestamp: number;
  private current: QueueDefinition;
  private modifiedTimestamp: number;
  /** In send order: FIFO delivery and fair standard delivery both walk it from the front. */
  private messages: StoredMessage[] = [];
  private readonly byId = new Map<string, StoredMessage>();
  private readonly listeners = new Set<() => void>();
  /** What a first send answered, by deduplication id: a repeat gets the same message id. */
  private readonly deduplication = new DeduplicationCache<{ readonly messageId: string; readonly sequenceNumber?: string }>();
  private sequence = 0n;
  /** Copies delivered again so far: numbers them, so no two share a key. */
  private copiesMade = 0;
  private wake: { readonly at: number; readonly cancel: () => void } | undefined;
  private closed = false;

  constructor(
    definition: QueueDefinition,
    private readonly deps: QueueDeps,
  ) {
    this.current = definition;
    this.createdTimestamp = deps.clock.now();
    this.modifiedTimestamp = this.createdTimestamp;
  }

  get definition(): QueueDefinition {
    return this.current;
  }

  get lastModifiedTimestamp(): number {
    return this.modifiedTimestamp;
  }

  /** A redeployed template changes settings; the messages stay, as in a CloudFormation update. */
  update(definition: QueueDefinition): void {
    this.current = definition;
    this.modifiedTimestamp = this.deps.clock.now();
  }

  send(input: SendInput): SendResult {
    const body = checkBody(input.body);
    const attributes = input.messageAttributes ?? {};
    checkAttributes(attributes);
    checkSize(body, attributes, this.current.maximumMessageSize);
    const delaySeconds = this.delayFor(input.delaySeconds);
    const now = this.deps.clock.now();
    // Digests describe this request, even for a duplicate: the SDK checks them against what it sent.
    const digests = { md5OfMessageBody: md5Hex(body), ...optional('md5OfMessageAttributes', md5OfMessageAttributes(attributes)) };
    const deduplicationId = this.deduplicationIdFor(input, body);
    const duplicate = deduplicationId === undefined ? undefined : this.deduplication.get(deduplicationId, now);
    if (duplicate) return { ...duplicate, ...digests };

    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: digests.md5OfMessageBody,
      messageAttributes: attributes,
      senderId: input.senderId,
      sentTimestamp: now,
      expiresAt: now + this.current.messageRetentionSeconds * SECOND,
      ...(input.messageGroupId === undefined ? {} : { messageGroupId: input.messageGroupId }),
      ...(this.current.fifo ? { messageDeduplicationId: deduplicationId, sequenceNumber: this.nextSequenceNumber() } : {}),
      visibleAt: now + delaySeconds * SECOND,
      receiveCount: 0,
    };
    const identity = { messageId: message.messageId, ...optional('sequenceNumber', message.sequenceNumber) };
    if (deduplicationId !== undefined) this.deduplication.remember(deduplicationId, identity, now);
    this.enqueue(message);
    // A FIFO queue delivers exactly once; a standard queue at least once.
    if (!this.current.fifo) this.deps.sent?.({ ...message });
    return { ...identity, ...digests };
  }

  /**
   * Makes a sent message visible once more, as a standard queue's at-least-once delivery may: the
   * same id, body and attributes, received and deleted on its own (deleting the first does not
   * delete it), whether or not the first was received yet.
   */
  enqueueCopy(message: StoredMessage): void {
    const now = this.deps.clock.now();
    this.copiesMade += 1;
    const copy = this.copiesMade;
    const { receiptHandle: _handle, firstReceiveTimestamp: _first, ...kept } = message;
    this.enqueue({ ...kept, copy, visibleAt: now, receiveCount: 0 });
  }

  /**
   * Takes a message dead-lettered from another queue: same id, body and attributes. A standard
   * queue keeps the original send time for retention; a FIFO queue starts it afresh (AWS does both).
   */
  acceptDeadLetter(message: StoredMessage, sourceArn: string): void {
    const now = this.deps.clock.now();
    const enqueued = this.current.fifo ? now : message.sentTimestamp;
    const { receiptHandle: _handle, ...kept } = message;
    this.enqueue({
      ...kept,
      expiresAt: enqueued + this.current.messageRetentionSeconds * SECOND,
      deadLetterQueueSourceArn: sourceArn,
      visibleAt: now,
    });
  }

  /**
   * Receives up to `max` visible messages and hides them for the visibility timeout. A message
   * already received `maxReceiveCount` times goes to the dead-letter queue instead.
   */
  receive(max: number, visibilityTimeoutSeconds = this.current.visibilityTimeoutSeconds): ReceivedMessage[] {
    const now = this.deps.clock.now();
    this.dropExpired(now);
    const picked = this.current.fifo ? this.pickFifo(max, now) : this.pickStandard(max, now);
    const received = picked.map((message) => {
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.receiptHandle = newReceiptHandle(this.current.name, storageKey(message));
      message.visibleAt = now + visibilityTimeoutSeconds * SECOND;
      return { message: { ...message }, receiptHandle: message.receiptHandle };
    });
    this.armWake();
    return received;
  }

  /** Deletes the message a handle names; a handle from an earlier receive deletes nothing, as in AWS. */
  delete(receiptHandle: string): void {
    const message = this.messageFor(receiptHandle);
    if (!message || message.receiptHandle !== receiptHandle) return;
    this.remove(message);
    // The next message of the group may now be received.
    if (this.current.fifo) this.notify();
  }

  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    checkRange('VisibilityTimeout', visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    const message = this.messageFor(receiptHandle);
    if (!message || message.receiptHandle !== receiptHandle) {
      throw invalidParameter(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    const now = this.deps.clock.now();
    if (message.visibleAt <= now) throw messageNotInflight();
    message.visibleAt = now + visibilityTimeoutSeconds * SECOND;
    this.armWake();
    if (visibilityTimeoutSeconds === 0) this.notify();
  }

  purge(): void {
    this.messages = [];
    this.byId.clear();
    this.armWake();
  }

  counts(): QueueCounts {
    const now = this.deps.clock.now();
    this.dropExpired(now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.messages) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receiptHandle === undefined) delayed += 1;
      else inFlight += 1;
    }
    return { visible, inFlight, delayed };
  }

  /** Copies of the messages, in send order, without receiving them. */
  snapshot(): StoredMessage[] {
    this.dropExpired(this.deps.clock.now());
    return this.messages.map((message) => ({ ...message }));
  }

  /** Calls `listener` whenever a message may have become receivable; returns the unsubscribe. */
  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the clock timer for good; the messages stay readable. */
  close(): void {
    this.closed = true;
    this.wake?.cancel();
    this.wake = undefined;
    this.listeners.clear();
  }

  private delayFor(requested: number | undefined): number {
    if (requested === undefined) return this.current.delaySeconds;
    checkRange('DelaySeconds', requested, 0, MAX_DELAY_SECONDS);
    if (this.current.fifo && requested !== 0) {
      throw invalidParameter(
        `Value ${requested} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
      );
    }
    return requested;
  }

  private deduplicationIdFor(input: SendInput, body: string): string | undefined {
    if (!this.current.fifo) {
      if (input.messageDeduplicationId !== undefined)
        throw invalidParameter('The request includes MessageDeduplicationId, which is only valid for FIFO queues.');
      return undefined;
    }
    if (!input.messageGroupId) throw missingParameter('MessageGroupId');
    if (input.messageDeduplicationId) return input.messageDeduplicationId;
    if (this.current.contentBasedDeduplication) return contentDeduplicationId(body);
    throw invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }

  private nextSequenceNumber(): string {
    this.sequence += 1n;
    return this.sequence.toString().padStart(20, '0');
  }

  private enqueue(message: StoredMessage): void {
    this.messages.push(message);
    this.byId.set(storageKey(message), message);
    if (message.visibleAt <= this.deps.clock.now()) this.notify();
    else this.armWake();
  }

  private remove(message: StoredMessage): void {
    this.messages = this.messages.filter((other) => other !== message);
    this.byId.delete(storageKey(message));
  }

  private messageFor(receiptHandle: string): StoredMessage | undefined {
    const named = parseReceiptHandle(receiptHandle);
    if (!named || named.queueName !== this.current.name) throw receiptHandleIsInvalid(receiptHandle);
    return this.byId.get(named.messageId);
  }

  /** Retention is enforced when someone looks: nothing can observe an expired message in between. */
  private dropExpired(now: number): void {
    if (this.messages.some((message) => message.expiresAt <= now)) {
      this.messages = this.messages.filter((message) => message.expiresAt > now);
      for (const [id, message] of this.byId) if (message.expiresAt <= now) this.byId.delete(id);
    }
  }

  /** True when the message went to the dead-letter queue rather than being delivered. */
  private redriven(message: StoredMessage): boolean {
    const policy = this.current.redrivePolicy;
    if (!policy || message.receiveCount < policy.maxReceiveCount) return false;
    if (!this.deps.deadLetter(message, this)) return false;
    this.remove(message);
    return true;
  }

  private pickStandard(max: number, now: number): StoredMessage[] {
    const picked: StoredMessage[] = [];
    for (const message of [...this.messages]) {
      if (picked.length >= max) break;
      if (message.visibleAt <= now && !this.redriven(message)) picked.push(message);
    }
    return picked;
  }

  /**
   * FIFO: a group is served in order and only while none of its messages is in flight, so a
   * group's first message that is not visible holds back the rest of the group.
   */
  private pickFifo(max: number, now: number): StoredMessage[] {
    const picked: StoredMessage[] = [];
    const blocked = new Set<string>();
    for (const message of [...this.messages]) {
      if (picked.length >= max) break;
      const group = message.messageGroupId ?? '';
      if (blocked.has(group)) continue;
      if (message.visibleAt > now) blocked.add(group);
      else if (!this.redriven(message)) picked.push(message);
    }
    return picked;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Keeps one clock timer, for the next message to become visible. */
  private armWake(): void {
    const now = this.deps.clock.now();
    let next = Infinity;
    for (const message of this.messages) if (message.visibleAt > now && message.visibleAt < next) next = message.visibleAt;
    if (this.wake?.at === next) return;
    this.wake?.cancel();
    this.wake = undefined;
    if (next === Infinity || this.closed) return;
    const cancel = this.deps.clock.at(next, () => {
      this.wake = undefined;
      this.notify();
      this.armWake();
    });
    this.wake = { at: next, cancel };
  }
}
