/** The event Lambda hands a function for a batch of SQS messages, in Lambda's own (lower-camel) format. */
import type { ReceivedMessage } from '#local/sqs/message.ts';
import { md5OfMessageAttributes } from '#local/sqs/md5.ts';
import { optional } from '#local/sqs/optional.ts';

export interface SqsLambdaMessageAttribute {
  readonly stringValue?: string;
  /** Base64. */
  readonly binaryValue?: string;
  /** Reserved by AWS; always empty. */
  readonly stringListValues: string[];
  readonly binaryListValues: string[];
  readonly dataType: string;
}

export interface SqsLambdaRecordAttributes {
  readonly ApproximateReceiveCount: string;
  readonly SentTimestamp: string;
  readonly SenderId: string;
  readonly ApproximateFirstReceiveTimestamp: string;
  readonly SequenceNumber?: string;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
  readonly DeadLetterQueueSourceArn?: string;
}

export interface SqsLambdaRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: SqsLambdaRecordAttributes;
  readonly messageAttributes: Record<string, SqsLambdaMessageAttribute>;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export interface SqsLambdaEvent {
  readonly Records: SqsLambdaRecord[];
}

export function toLambdaRecord(received: ReceivedMessage, queueArn: string, awsRegion: string): SqsLambdaRecord {
  const { message } = received;
  const messageAttributes: Record<string, SqsLambdaMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    messageAttributes[name] = {
      ...optional('stringValue', value.StringValue),
      ...optional('binaryValue', value.BinaryValue),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    };
  }
  return {
    messageId: message.messageId,
    receiptHandle: received.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: message.senderId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
      ...optional('SequenceNumber', message.sequenceNumber),
      ...optional('MessageGroupId', message.messageGroupId),
      ...optional('MessageDeduplicationId', message.messageDeduplicationId),
      ...optional('DeadLetterQueueSourceArn', message.deadLetterQueueSourceArn),
    },
    messageAttributes,
    md5OfBody: message.md5OfBody,
    ...optional('md5OfMessageAttributes', md5OfMessageAttributes(message.messageAttributes)),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion,
  };
}
