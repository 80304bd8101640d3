/**
 * SQS's JSON protocol (awsJson1_0, `X-Amz-Target: AmazonSQS.<Action>`, PascalCase members), as the
 * AWS SDK v3 sends it. Each action reads its members, calls the queue and answers in the SDK's
 * shapes, with the MD5 digests the SDK checks.
 */
import { AwsServiceError, unknownOperation, type JsonActionHandler } from '#local/aws-error.ts';
import { runBatch } from '#local/sqs/batch.ts';
import { entryList, messageAttributes, optionalInteger, optionalString, requiredInteger, requiredString, stringList, type Input } from '#local/sqs/input.ts';
import { longPoll } from '#local/sqs/long-poll.ts';
import { md5OfMessageAttributes } from '#local/sqs/md5.ts';
import { systemAttributes, type MessageAttributes, type ReceivedMessage } from '#local/sqs/message.ts';
import { optional } from '#local/sqs/optional.ts';
import { queueAttributes } from '#local/sqs/queue-attributes.ts';
import { MAX_VISIBILITY_TIMEOUT_SECONDS, type Queue, type SendResult } from '#local/sqs/queue.ts';
import { checkRange, messageSize } from '#local/sqs/validation.ts';

/** What the protocol needs from the service. */
export interface ProtocolContext {
  /** Throws QueueDoesNotExist. */
  queueByUrl(url: string): Queue;
  /** Throws QueueDoesNotExist. */
  queueByName(name: string): Queue;
  queues(): readonly Queue[];
  /** The SenderId messages sent through the API carry. */
  readonly senderId: string;
  /** Aborted when the service closes, ending long polls. */
  readonly closing: AbortSignal;
}

const MAX_MESSAGES_PER_RECEIVE = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_BATCH_BYTES = 262_144;
const MAX_LIST_RESULTS = 1000;

type Action = (context: ProtocolContext, input: Input) => unknown;

const queueOf = (context: ProtocolContext, input: Input): Queue => context.queueByUrl(requiredString(input, 'QueueUrl'));

function sendOne(context: ProtocolContext, queue: Queue, entry: Input): SendResult {
  return queue.send({
    body: optionalString(entry, 'MessageBody'),
    messageAttributes: messageAttributes(entry),
    delaySeconds: optionalInteger(entry, 'DelaySeconds'),
    messageGroupId: optionalString(entry, 'MessageGroupId'),
    messageDeduplicationId: optionalString(entry, 'MessageDeduplicationId'),
    senderId: context.senderId,
  });
}

const sendResultOut = (result: SendResult) => ({
  MessageId: result.messageId,
  MD5OfMessageBody: result.md5OfMessageBody,
  ...optional('MD5OfMessageAttributes', result.md5OfMessageAttributes),
  ...optional('SequenceNumber', result.sequenceNumber),
});

/** Checks the batch's total size before any entry is sent: AWS refuses the whole request. */
function checkBatchSize(entries: readonly Input[]): void {
  const total = entries.reduce((sum, entry) => sum + messageSize(optionalString(entry, 'MessageBody') ?? '', messageAttributes(entry)), 0);
  if (total > MAX_BATCH_BYTES) {
    throw new AwsServiceError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`);
  }
}

/** `All` or `.*` selects every name, `prefix.*` a family, anything else itself. */
function nameFilter(requested: readonly string[]): (name: string) => boolean {
  if (requested.includes('All') || requested.includes('.*')) return () => true;
  const exact = new Set(requested.filter((name) => !name.endsWith('.*')));
  const prefixes = requested.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

function pick<T>(record: Readonly<Record<string, T>>, selected: (name: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => selected(name)));
}

/** A received message in the SDK's shape; the attribute digest covers the attributes returned. */
function messageOut(received: ReceivedMessage, systemNames: readonly string[], attributeNames: readonly string[]) {
  const { message } = received;
  const attributes = pick(systemAttributes(message), nameFilter(systemNames));
  const selected: MessageAttributes = pick(message.messageAttributes, nameFilter(attributeNames));
  const hasAttributes = Object.keys(selected).length > 0;
  return {
    MessageId: message.messageId,
    ReceiptHandle: received.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...optional('Attributes', Object.keys(attributes).length > 0 ? attributes : undefined),
    ...optional('MD5OfMessageAttributes', md5OfMessageAttributes(selected)),
    ...optional('MessageAttributes', hasAttributes ? selected : undefined),
  };
}

async function receiveMessage(context: ProtocolContext, input: Input) {
  const queue = queueOf(context, input);
  const max = checkRange('MaxNumberOfMessages', optionalInteger(input, 'MaxNumberOfMessages') ?? 1, 1, MAX_MESSAGES_PER_RECEIVE);
  const requestedTimeout = optionalInteger(input, 'VisibilityTimeout');
  const visibilityTimeout = requestedTimeout === undefined ? undefined : checkRange('VisibilityTimeout', requestedTimeout, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
  const wait = checkRange('WaitTimeSeconds', optionalInteger(input, 'WaitTimeSeconds') ?? queue.definition.receiveMessageWaitTimeSeconds, 0, MAX_WAIT_SECONDS);
  // AttributeNames is the deprecated name of MessageSystemAttributeNames; SDKs still send either.
  const systemNames = [...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')];
  const attributeNames = stringList(input, 'MessageAttributeNames');
  const received = await longPoll(queue, () => queue.receive(max, visibilityTimeout), wait, context.closing);
  return received.length === 0 ? {} : { Messages: received.map((message) => messageOut(message, systemNames, attributeNames)) };
}

function listQueues(context: ProtocolContext, input: Input) {
  const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
  const maxResults = optionalInteger(input, 'MaxResults');
  if (maxResults !== undefined) checkRange('MaxResults', maxResults, 1, MAX_LIST_RESULTS);
  const urls = context
    .queues()
    .filter((queue) => queue.definition.name.startsWith(prefix))
    .map((queue) => queue.definition.url);
  const token = optionalString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw new AwsServiceError('InvalidParameterValue', 'Invalid NextToken.');
  const end = maxResults === undefined ? urls.length : Math.min(urls.length, start + maxResults);
  const page = urls.slice(start, end);
  return {
    ...optional('QueueUrls', page.length > 0 ? page : undefined),
    ...optional('NextToken', end < urls.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined),
  };
}

const ACTIONS: Readonly<Record<string, Action>> = {
  SendMessage: (context, input) => sendResultOut(sendOne(context, queueOf(context, input), input)),
  SendMessageBatch: (context, input) => {
    const queue = queueOf(context, input);
    const entries = entryList(input, 'Entries');
    checkBatchSize(entries);
    const { Successful, Failed } = runBatch(entries, (entry, id) => ({ Id: id, ...sendResultOut(sendOne(context, queue, entry)) }));
    return { Successful, Failed };
  },
  ReceiveMessage: receiveMessage,
  DeleteMessage: (context, input) => {
    queueOf(context, input).delete(requiredString(input, 'ReceiptHandle'));
    return {};
  },
  DeleteMessageBatch: (context, input) => {
    const queue = queueOf(context, input);
    return runBatch(entryList(input, 'Entries'), (entry, id) => {
      queue.delete(requiredString(entry, 'ReceiptHandle'));
      return { Id: id };
    });
  },
  ChangeMessageVisibility: (context, input) => {
    queueOf(context, input).changeVisibility(requiredString(input, 'ReceiptHandle'), requiredInteger(input, 'VisibilityTimeout'));
    return {};
  },
  ChangeMessageVisibilityBatch: (context, input) => {
    const queue = queueOf(context, input);
    return runBatch(entryList(input, 'Entries'), (entry, id) => {
      queue.changeVisibility(requiredString(entry, 'ReceiptHandle'), requiredInteger(entry, 'VisibilityTimeout'));
      return { Id: id };
    });
  },
  GetQueueUrl: (context, input) => ({ QueueUrl: context.queueByName(requiredString(input, 'QueueName')).definition.url }),
  GetQueueAttributes: (context, input) => {
    const attributes = queueAttributes(queueOf(context, input), stringList(input, 'AttributeNames'));
    return Object.keys(attributes).length === 0 ? {} : { Attributes: attributes };
  },
  ListQueues: listQueues,
  PurgeQueue: (context, input) => {
    queueOf(context, input).purge();
    return {};
  },
};

export function createJsonProtocol(context: ProtocolContext): JsonActionHandler {
  // An async function runs synchronously up to its first await, so a ReceiveMessage has registered
  // its long poll by the time this returns: a message sent right after cannot slip past it.
  return async (action, input) => {
    const run = ACTIONS[action];
    if (!run) throw unknownOperation('SQS', action);
    return run(context, input);
  };
}
