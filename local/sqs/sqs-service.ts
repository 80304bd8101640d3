/**
 * The local cloud's SQS: the queues of the stack, their JSON protocol for SDK clients, a direct API
 * for the other local services (EventBridge targets, Step Functions, Lambda destinations), and the
 * pollers through which Lambda consumes queues. All time is the virtual clock's, except long polls,
 * which are network waits.
 */
import type { ActivityLog } from '#local/activity-log.ts';
import type { AtLeastOnce } from '#local/at-least-once.ts';
import type { JsonActionHandler } from '#local/aws-error.ts';
import type { Clock } from '#local/clock.ts';
import { queueDoesNotExist } from '#local/sqs/errors.ts';
import { EventSourcePoller, type EventSourceMapping } from '#local/sqs/event-source-mapping.ts';
import { createJsonProtocol } from '#local/sqs/json-protocol.ts';
import type { MessageAttributeValue, StoredMessage } from '#local/sqs/message.ts';
import { queueNameFromUrl, type QueueDefinition } from '#local/sqs/queue-definition.ts';
import { Queue } from '#local/sqs/queue.ts';
import type { UsageMeter } from '../usage-meter.ts';

export type { EventSourceMapping } from '#local/sqs/event-source-mapping.ts';
export type { SqsLambdaEvent, SqsLambdaRecord } from '#local/sqs/lambda-event.ts';
export { QUEUE_DEFAULTS, type QueueDefinition, type RedrivePolicy } from '#local/sqs/queue-definition.ts';

export interface SqsServiceDeps {
  readonly clock: Clock;
  readonly log: ActivityLog;
  readonly region: string;
  readonly accountId: string;
  /** Counts API requests (and the event source pollers' receives and deletes) for the cost model. */
  readonly meter?: UsageMeter;
  /** Makes each message sent to a standard queue visible a second time, when that mode is on. */
  readonly atLeastOnce?: AtLeastOnce;
}

export interface SendMessageOptions {
  readonly delaySeconds?: number;
  /** `BinaryValue` is base64. */
  readonly messageAttributes?: Record<string, MessageAttributeValue>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly sentTimestamp: number;
  /** The message attributes, as sent. */
  readonly attributes: Record<string, unknown>;
}

export class SqsService {
  /** The JSON protocol: pass as `{ targetPrefix: 'AmazonSQS', handle: service.handle }` to createEdgeServer. */
  readonly handle: JsonActionHandler;
  private readonly byName = new Map<string, Queue>();
  private readonly byArn = new Map<string, Queue>();
  private readonly pollers: EventSourcePoller[] = [];
  private readonly closing = new AbortController();

  constructor(private readonly deps: SqsServiceDeps) {
    const protocol = createJsonProtocol({
      queueByUrl: (url) => this.queueByName(queueNameFromUrl(url)),
      queueByName: (name) => this.queueByName(name),
      queues: () => [...this.byName.values()],
      senderId: deps.accountId,
      closing: this.closing.signal,
    });
    this.handle = (action, input) => {
      deps.meter?.sqsRequests();
      return protocol(action, input);
    };
  }

  /** Creates the queue, or updates its settings (keeping its messages) when it exists. */
  createQueue(definition: QueueDefinition): void {
    const existing = this.byName.get(definition.name);
    if (existing) {
      this.byArn.delete(existing.definition.arn);
      existing.update(definition);
      this.byArn.set(definition.arn, existing);
      return;
    }
    const queue: Queue = new Queue(definition, {
      clock: this.deps.clock,
      deadLetter: (message, source) => this.deadLetter(message, source),
      sent: (message) => {
        const content = JSON.stringify([message.body, message.messageAttributes]);
        this.deps.atLeastOnce?.again('sqs', { resources: [queue.definition.arn], content }, () => queue.enqueueCopy(message));
      },
    });
    this.byName.set(definition.name, queue);
    this.byArn.set(definition.arn, queue);
  }

  listQueues(): QueueDefinition[] {
    return [...this.byName.values()].map((queue) => queue.definition);
  }

  /** For other local services. Throws QueueDoesNotExist for an unknown ARN, and SQS's errors for an invalid message. */
  sendMessage(queueArn: string, body: string, options: SendMessageOptions = {}): { messageId: string } {
    const { messageId } = this.queueByArn(queueArn).send({
      body,
      messageAttributes: options.messageAttributes ?? {},
      delaySeconds: options.delaySeconds,
      messageGroupId: options.messageGroupId,
      messageDeduplicationId: options.messageDeduplicationId,
      senderId: this.deps.accountId,
    });
    return { messageId };
  }

  /** Starts a poller that delivers the queue's messages to a function, as Lambda does. */
  addEventSourceMapping(mapping: EventSourceMapping): void {
    const queue = this.queueByArn(mapping.queueArn);
    if (!Number.isInteger(mapping.batchSize) || mapping.batchSize < 1 || mapping.batchSize > 10_000) {
      throw new RangeError(`batchSize must be 1 to 10000, not ${mapping.batchSize}`);
    }
    this.pollers.push(new EventSourcePoller(queue, mapping, this.deps));
  }

  /** For tests and operator tools (listing a DLQ): the messages in a queue, in send order, unchanged. */
  peek(queueArn: string): PeekedMessage[] {
    return this.queueByArn(queueArn)
      .snapshot()
      .map((message) => ({
        messageId: message.messageId,
        body: message.body,
        receiveCount: message.receiveCount,
        sentTimestamp: message.sentTimestamp,
        attributes: { ...message.messageAttributes },
      }));
  }

  stats(queueArn: string): { visible: number; inFlight: number; delayed: number } {
    return this.queueByArn(queueArn).counts();
  }

  /** Stops pollers, clock timers and long polls. */
  close(): void {
    this.closing.abort();
    for (const poller of this.pollers.splice(0)) poller.close();
    for (const queue of this.byName.values()) queue.close();
  }

  private queueByName(name: string): Queue {
    const queue = this.byName.get(name);
    if (!queue) throw queueDoesNotExist(name);
    return queue;
  }

  private queueByArn(arn: string): Queue {
    const queue = this.byArn.get(arn);
    if (!queue) throw queueDoesNotExist(arn);
    return queue;
  }

  /** Moves a message from `source` to its dead-letter queue; false when that queue does not exist. */
  private deadLetter(message: StoredMessage, source: Queue): boolean {
    const policy = source.definition.redrivePolicy;
    const target = policy && this.byArn.get(policy.deadLetterTargetArn);
    const resource = source.definition.name;
    if (!policy || !target) {
      this.deps.log.record({ what: 'sqs.redrive', resource, outcome: 'failed', detail: 'dead-letter queue does not exist' });
      return false;
    }
    target.acceptDeadLetter(message, source.definition.arn);
    this.deps.log.record({
      what: 'sqs.redrive',
      resource,
      outcome: 'dead-lettered',
      detail: `to ${target.definition.name} after ${message.receiveCount} receives`,
    });
    return true;
  }
}
