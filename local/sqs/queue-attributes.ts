/** GetQueueAttributes: a queue's settings and counts, as strings, by their API names. */
import { invalidAttributeName } from '#local/sqs/errors.ts';
import type { Queue } from '#local/sqs/queue.ts';

type AttributeReader = (queue: Queue) => string | undefined;

const seconds = (ms: number): string => String(Math.floor(ms / 1000));

/** Only FIFO queues report the FIFO attributes; only queues with a redrive policy report it. */
const READERS: Readonly<Record<string, AttributeReader>> = {
  QueueArn: (queue) => queue.definition.arn,
  ApproximateNumberOfMessages: (queue) => String(queue.counts().visible),
  ApproximateNumberOfMessagesNotVisible: (queue) => String(queue.counts().inFlight),
  ApproximateNumberOfMessagesDelayed: (queue) => String(queue.counts().delayed),
  CreatedTimestamp: (queue) => seconds(queue.createdTimestamp),
  LastModifiedTimestamp: (queue) => seconds(queue.lastModifiedTimestamp),
  VisibilityTimeout: (queue) => String(queue.definition.visibilityTimeoutSeconds),
  MaximumMessageSize: (queue) => String(queue.definition.maximumMessageSize),
  MessageRetentionPeriod: (queue) => String(queue.definition.messageRetentionSeconds),
  DelaySeconds: (queue) => String(queue.definition.delaySeconds),
  ReceiveMessageWaitTimeSeconds: (queue) => String(queue.definition.receiveMessageWaitTimeSeconds),
  RedrivePolicy: (queue) => {
    const policy = queue.definition.redrivePolicy;
    return policy && JSON.stringify({ deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: policy.maxReceiveCount });
  },
  SqsManagedSseEnabled: () => 'false',
  FifoQueue: (queue) => (queue.definition.fifo ? 'true' : undefined),
  ContentBasedDeduplication: (queue) => (queue.definition.fifo ? String(queue.definition.contentBasedDeduplication ?? false) : undefined),
  // Real attributes the local cloud does not model: asked for by name, they are simply absent.
  Policy: () => undefined,
  RedriveAllowPolicy: () => undefined,
  KmsMasterKeyId: () => undefined,
  KmsDataKeyReusePeriodSeconds: () => undefined,
  DeduplicationScope: () => undefined,
  FifoThroughputLimit: () => undefined,
};

export function queueAttributes(queue: Queue, requested: readonly string[]): Record<string, string> {
  const names = requested.includes('All') ? Object.keys(READERS) : requested;
  const attributes: Record<string, string> = {};
  for (const name of names) {
    const reader = READERS[name];
    if (!reader) throw invalidAttributeName(name);
    const value = reader(queue);
    if (value !== undefined) attributes[name] = value;
  }
  return attributes;
}
