/** A message as a queue keeps it. */

/** A message attribute in the SQS API's shape; `BinaryValue` is base64, as on the JSON wire. */
export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export type MessageAttributes = Readonly<Record<string, MessageAttributeValue>>;

export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: MessageAttributes;
  readonly senderId: string;
  /** When the message was first sent: kept when it moves to a dead-letter queue. */
  readonly sentTimestamp: number;
  /** When retention removes it. */
  readonly expiresAt: number;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly sequenceNumber?: string;
  /**
   * Which extra copy of a sent message this is (1 for the first), absent for the message as sent:
   * a copy shares the message id, so the queue tells them apart by it.
   */
  readonly copy?: number;
  /** The queue it was dead-lettered from. */
  readonly deadLetterQueueSourceArn?: string;
  /** Until then the message is delayed (never received) or in flight (received). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** The handle of the latest receive; only it can delete the message or change its visibility. */
  receiptHandle?: string;
}

/** A message as one receive hands it out: a copy, so later receives do not change what a caller holds. */
export interface ReceivedMessage {
  readonly message: Readonly<StoredMessage>;
  readonly receiptHandle: string;
}

/** The system attributes SQS reports for a message, by their API names; values are strings on the wire. */
export function systemAttributes(message: Readonly<StoredMessage>): Record<string, string> {
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentTimestamp),
    SenderId: message.senderId,
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? ''),
  };
  if (message.sequenceNumber !== undefined) attributes.SequenceNumber = message.sequenceNumber;
  if (message.messageGroupId !== undefined) attributes.MessageGroupId = message.messageGroupId;
  if (message.messageDeduplicationId !== undefined) attributes.MessageDeduplicationId = message.messageDeduplicationId;
  if (message.deadLetterQueueSourceArn !== undefined) attributes.DeadLetterQueueSourceArn = message.deadLetterQueueSourceArn;
  return attributes;
}
