import type { Server } from 'node:http';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryActivityLog } from '#local/activity-log.ts';
import { VirtualClock } from '#local/clock.ts';
import { createEdgeServer, listen } from '#local/edge/edge-server.ts';
import { QUEUE_DEFAULTS, SqsService } from '#local/sqs/sqs-service.ts';

const ACCOUNT = '000000000000';
const START = Date.parse('2026-11-22T12:00:00Z');

let server: Server;
let client: SQSClient;
let service: SqsService;
let clock: VirtualClock;
let queueUrl: (name: string) => string;
/** Resolves the next time the edge server hands a ReceiveMessage to the service. */
let nextReceive: () => Promise<void>;

beforeAll(async () => {
  clock = new VirtualClock({ start: START, speed: 0 });
  service = new SqsService({ clock, log: new MemoryActivityLog(), region: 'us-east-1', accountId: ACCOUNT });
  let receiveStarted: (() => void) | undefined;
  nextReceive = () => new Promise((resolve) => (receiveStarted = resolve));
  server = createEdgeServer({
    jsonServices: [
      {
        targetPrefix: 'AmazonSQS',
        // The service registers a long poll before `handle` returns, so once this resolves, a
        // message sent is one the poll must see.
        handle: (action, input) => {
          const handled = service.handle(action, input);
          if (action === 'ReceiveMessage') receiveStarted?.();
          return handled;
        },
      },
    ],
  });
  const port = await listen(server, 0);
  const endpoint = `http://127.0.0.1:${port}`;
  queueUrl = (name) => `${endpoint}/${ACCOUNT}/${name}`;
  for (const name of ['orders', 'batches', 'visibility', 'polling', 'jobs.fifo']) {
    service.createQueue({ name, arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`, url: queueUrl(name), fifo: name.endsWith('.fifo'), ...QUEUE_DEFAULTS });
  }
  client = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  client.destroy();
  service.close();
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

// Known digests, published with the aws-md5-of-message-attributes package and computed by SQS.
const STRING_ATTRIBUTE = { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } };
const STRING_ATTRIBUTE_MD5 = '19e27d4e946b072f3f58da80d94fd778';
const BINARY_ATTRIBUTE = { binaryAttribute: { DataType: 'Binary', BinaryValue: new TextEncoder().encode('Hello binary world!') } };
const BINARY_ATTRIBUTE_MD5 = '31a92b15d92f8db860eda32aceb656c3';

describe('the local SQS through the AWS SDK', () => {
  it('sends and receives messages with and without attributes, the SDK checking every MD5', async () => {
    const url = queueUrl('orders');

    const plain = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'plain' }));
    const withString = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'with string', MessageAttributes: STRING_ATTRIBUTE }));
    const withBinary = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'with binary', MessageAttributes: BINARY_ATTRIBUTE }));
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );

    expect(plain.MD5OfMessageAttributes).toBeUndefined();
    expect(withString.MD5OfMessageAttributes).toBe(STRING_ATTRIBUTE_MD5);
    expect(withBinary.MD5OfMessageAttributes).toBe(BINARY_ATTRIBUTE_MD5);
    expect(
      received.Messages?.map(({ MessageId, Body, MessageAttributes, MD5OfMessageAttributes, Attributes }) => ({
        MessageId,
        Body,
        MessageAttributes,
        MD5OfMessageAttributes,
        Attributes,
      })),
    ).toEqual([
      {
        MessageId: plain.MessageId,
        Body: 'plain',
        MessageAttributes: undefined,
        MD5OfMessageAttributes: undefined,
        Attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(START) },
      },
      {
        MessageId: withString.MessageId,
        Body: 'with string',
        MessageAttributes: STRING_ATTRIBUTE,
        MD5OfMessageAttributes: STRING_ATTRIBUTE_MD5,
        Attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(START) },
      },
      {
        MessageId: withBinary.MessageId,
        Body: 'with binary',
        MessageAttributes: BINARY_ATTRIBUTE,
        MD5OfMessageAttributes: BINARY_ATTRIBUTE_MD5,
        Attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(START) },
      },
    ]);

    for (const message of received.Messages ?? []) await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    expect(service.stats(`arn:aws:sqs:us-east-1:${ACCOUNT}:orders`)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('sends and deletes in batches, reporting entries one by one', async () => {
    const url = queueUrl('batches');

    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'plain', MessageBody: 'one' },
          { Id: 'attributed', MessageBody: 'two', MessageAttributes: STRING_ATTRIBUTE },
          { Id: 'invalid', MessageBody: 'three', DelaySeconds: 5_000 },
        ],
      }),
    );
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          ...(received.Messages ?? []).map((message, n) => ({ Id: `m${n}`, ReceiptHandle: message.ReceiptHandle })),
          { Id: 'forged', ReceiptHandle: 'forged' },
        ],
      }),
    );

    expect(sent.Successful?.map(({ Id, MD5OfMessageAttributes }) => ({ Id, MD5OfMessageAttributes }))).toEqual([
      { Id: 'plain', MD5OfMessageAttributes: undefined },
      { Id: 'attributed', MD5OfMessageAttributes: STRING_ATTRIBUTE_MD5 },
    ]);
    expect(sent.Failed).toEqual([expect.objectContaining({ Id: 'invalid', Code: 'InvalidParameterValue', SenderFault: true })]);
    expect(received.Messages?.map((message) => message.Body)).toEqual(['one', 'two']);
    expect(deleted.Successful).toEqual([{ Id: 'm0' }, { Id: 'm1' }]);
    expect(deleted.Failed).toEqual([expect.objectContaining({ Id: 'forged', Code: 'ReceiptHandleIsInvalid' })]);
    await expect(
      client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, n) => ({ Id: `e${n}`, MessageBody: 'x' })) })),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
  });

  it('finds queues and reports their attributes', async () => {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout', 'ApproximateNumberOfMessages'] }),
    );

    expect(QueueUrl).toBe(queueUrl('orders'));
    expect(Attributes).toEqual({ QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`, VisibilityTimeout: '30', ApproximateNumberOfMessages: '0' });
  });

  it('makes a message visible again with ChangeMessageVisibility', async () => {
    const url = queueUrl('visibility');
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    const whileHidden = await client.send(new ReceiveMessageCommand({ QueueUrl: url }));

    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 }));
    const second = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));

    expect(whileHidden.Messages).toBeUndefined();
    expect(second.Messages?.map((message) => [message.Body, message.Attributes?.ApproximateReceiveCount])).toEqual([['again', '2']]);
  });

  it('deduplicates FIFO sends, answering a repeat with the first message id', async () => {
    const url = queueUrl('jobs.fifo');
    const send = (body: string) =>
      client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: 'job-1' }));

    const first = await send('run job 1');
    const repeat = await send('run job 1, retried');
    const { Messages } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber'] }),
    );

    expect(repeat.MessageId).toBe(first.MessageId);
    expect(Messages?.map(({ Body, Attributes }) => ({ Body, Attributes }))).toEqual([
      { Body: 'run job 1', Attributes: { MessageGroupId: 'g', SequenceNumber: first.SequenceNumber } },
    ]);
  });

  it('raises the SDK exceptions for an unknown queue and a forged receipt handle', async () => {
    await expect(client.send(new SendMessageCommand({ QueueUrl: queueUrl('missing'), MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'missing' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(client.send(new DeleteMessageCommand({ QueueUrl: queueUrl('orders'), ReceiptHandle: 'forged' }))).rejects.toBeInstanceOf(
      ReceiptHandleIsInvalid,
    );
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const url = queueUrl('polling');
    const started = performance.now();

    const receiving = nextReceive();
    const polling = client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await receiving;
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'worth the wait' }));
    const { Messages } = await polling;

    expect(Messages?.map((message) => message.Body)).toEqual(['worth the wait']);
    // Well before the 20 s the poll may wait: it ended on the message, not on the timeout.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
