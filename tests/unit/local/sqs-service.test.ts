import { createHash } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryActivityLog } from '#local/activity-log.ts';
import { VirtualClock } from '#local/clock.ts';
import { md5OfMessageAttributes } from '#local/sqs/md5.ts';
import { QUEUE_DEFAULTS, SqsService, type EventSourceMapping, type QueueDefinition, type SqsLambdaEvent } from '#local/sqs/sqs-service.ts';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const START = Date.parse('2026-11-22T12:00:00Z');

interface WireMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
  readonly MD5OfBody: string;
  readonly Attributes?: Record<string, string>;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  readonly MD5OfMessageAttributes?: string;
}

interface BatchOutput {
  readonly Successful: { Id: string; MessageId?: string }[];
  readonly Failed: { Id: string; Code: string; SenderFault: boolean }[];
}

const arnOf = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const urlOf = (name: string) => `http://sqs.${REGION}.localhost:4566/${ACCOUNT}/${name}`;

function queue(name: string, settings: Partial<QueueDefinition> = {}): QueueDefinition {
  return { name, arn: arnOf(name), url: urlOf(name), fifo: name.endsWith('.fifo'), ...QUEUE_DEFAULTS, ...settings };
}

let service: SqsService | undefined;

afterEach(() => {
  service?.close();
  service = undefined;
  vi.useRealTimers();
});

/** A service with a frozen clock and the given queues. */
function start(...definitions: QueueDefinition[]) {
  const clock = new VirtualClock({ start: START, speed: 0 });
  const log = new MemoryActivityLog();
  const sqs = new SqsService({ clock, log, region: REGION, accountId: ACCOUNT });
  for (const definition of definitions) sqs.createQueue(definition);
  service = sqs;

  const call = (action: string, input: Record<string, unknown>) => sqs.handle(action, input);
  const send = async (name: string, input: Record<string, unknown> = {}) =>
    (await call('SendMessage', { QueueUrl: urlOf(name), MessageBody: 'hello', ...input })) as {
      MessageId: string;
      MD5OfMessageBody: string;
      MD5OfMessageAttributes?: string;
      SequenceNumber?: string;
    };
  const receive = async (name: string, input: Record<string, unknown> = {}) => {
    const output = (await call('ReceiveMessage', {
      QueueUrl: urlOf(name),
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      ...input,
    })) as { Messages?: WireMessage[] };
    return output.Messages ?? [];
  };
  const remove = (name: string, message: WireMessage) => call('DeleteMessage', { QueueUrl: urlOf(name), ReceiptHandle: message.ReceiptHandle });
  return { clock, log, sqs, call, send, receive, remove };
}

/** Lets every queued microtask run (pollers pump on microtasks; invocations here resolve at once). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A mapping whose function records each batch and answers with `answer`. */
function recordingMapping(queueName: string, answer: (event: SqsLambdaEvent) => Promise<unknown>, settings: Partial<EventSourceMapping> = {}) {
  const batches: SqsLambdaEvent[] = [];
  const mapping: EventSourceMapping = {
    queueArn: arnOf(queueName),
    functionName: 'consumer',
    batchSize: 10,
    reportBatchItemFailures: false,
    invoke: (event) => {
      batches.push(event);
      return answer(event);
    },
    ...settings,
  };
  return { mapping, batches, bodies: () => batches.map((event) => event.Records.map((record) => record.body)) };
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('message attribute MD5', () => {
  // Reference values published with the aws-md5-of-message-attributes package, computed by SQS.
  const binary = Buffer.from('Hello binary world!').toString('base64');
  it.each([
    ['a string', { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } }, '19e27d4e946b072f3f58da80d94fd778'],
    [
      'a custom number type',
      { customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' } },
      '9fe1b90bbd9965bdf77bac517c7d2495',
    ],
    ['a binary', { binaryAttribute: { DataType: 'Binary', BinaryValue: binary } }, '31a92b15d92f8db860eda32aceb656c3'],
    [
      'several, sorted by name',
      {
        attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
        customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' },
        binaryAttribute: { DataType: 'Binary', BinaryValue: binary },
      },
      'c932db14a896c663f83c260297d594ff',
    ],
  ])('matches SQS for %s', (_name, attributes, expected) => {
    expect(md5OfMessageAttributes(attributes)).toBe(expected);
  });
});

describe('SqsService: messages', () => {
  it('sends, receives with system attributes and digests, and deletes', async () => {
    const { send, receive, remove, sqs, clock } = start(queue('orders'));
    const attributes = { kind: { DataType: 'String', StringValue: 'order' } };

    const sent = await send('orders', { MessageBody: '{"id":1}', MessageAttributes: attributes });
    clock.advance(2_000);
    const [message, ...others] = await receive('orders');

    expect(sent).toEqual({ MessageId: expect.any(String), MD5OfMessageBody: md5('{"id":1}'), MD5OfMessageAttributes: md5OfMessageAttributes(attributes) });
    expect(others).toEqual([]);
    expect(message).toEqual({
      MessageId: sent.MessageId,
      ReceiptHandle: expect.any(String),
      Body: '{"id":1}',
      MD5OfBody: md5('{"id":1}'),
      Attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(START), SenderId: ACCOUNT, ApproximateFirstReceiveTimestamp: String(START + 2_000) },
      MessageAttributes: attributes,
      MD5OfMessageAttributes: md5OfMessageAttributes(attributes),
    });
    expect(sqs.stats(arnOf('orders'))).toEqual({ visible: 0, inFlight: 1, delayed: 0 });

    if (message) await remove('orders', message);
    expect(sqs.stats(arnOf('orders'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('returns only the attributes asked for, with the digest of those', async () => {
    const { send, receive } = start(queue('orders'));
    await send('orders', {
      MessageAttributes: { 'trace.id': { DataType: 'String', StringValue: 't-1' }, tenant: { DataType: 'String', StringValue: 'acme' } },
    });

    const [message] = await receive('orders', { MessageAttributeNames: ['trace.*'], MessageSystemAttributeNames: ['SentTimestamp'] });

    expect(message?.MessageAttributes).toEqual({ 'trace.id': { DataType: 'String', StringValue: 't-1' } });
    expect(message?.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ 'trace.id': { DataType: 'String', StringValue: 't-1' } }));
    expect(message?.Attributes).toEqual({ SentTimestamp: String(START) });
  });

  it('hides a received message for the visibility timeout, then hands it out again with a new handle', async () => {
    const { send, receive, remove, sqs, clock } = start(queue('orders', { visibilityTimeoutSeconds: 30 }));
    await send('orders');
    const [first] = await receive('orders');

    clock.advance(29_999);
    const whileHidden = await receive('orders');
    clock.advance(1);
    const [second] = await receive('orders');

    expect(whileHidden).toEqual([]);
    expect(second?.MessageId).toBe(first?.MessageId);
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    expect(second?.Attributes).toMatchObject({ ApproximateReceiveCount: '2', ApproximateFirstReceiveTimestamp: String(START) });
    // As in AWS, the earlier handle is accepted but deletes nothing; the latest one deletes.
    if (first && second) {
      await remove('orders', first);
      expect(sqs.stats(arnOf('orders')).inFlight).toBe(1);
      await remove('orders', second);
      expect(sqs.stats(arnOf('orders')).inFlight).toBe(0);
    }
  });

  it('honours a receive-time visibility timeout and ChangeMessageVisibility', async () => {
    const { send, receive, call, clock } = start(queue('orders'));
    await send('orders');
    const [message] = await receive('orders', { VisibilityTimeout: 5 });
    clock.advance(5_000);
    const [again] = await receive('orders', { VisibilityTimeout: 300 });

    await call('ChangeMessageVisibility', { QueueUrl: urlOf('orders'), ReceiptHandle: again?.ReceiptHandle, VisibilityTimeout: 0 });
    const [third] = await receive('orders');

    expect(again?.MessageId).toBe(message?.MessageId);
    expect(third?.Attributes?.ApproximateReceiveCount).toBe('3');
    // Once visible again (timeout 0 above, then received and its visibility ended), it is not in flight.
    clock.advance(30_000);
    await expect(
      call('ChangeMessageVisibility', { QueueUrl: urlOf('orders'), ReceiptHandle: third?.ReceiptHandle, VisibilityTimeout: 10 }),
    ).rejects.toMatchObject({ code: 'MessageNotInflight' });
  });

  it('delays messages by the queue setting or the per-message DelaySeconds', async () => {
    const { send, receive, sqs, clock } = start(queue('slow', { delaySeconds: 10 }));
    await send('slow', { MessageBody: 'queue delay' });
    await send('slow', { MessageBody: 'message delay', DelaySeconds: 3 });

    expect(sqs.stats(arnOf('slow'))).toEqual({ visible: 0, inFlight: 0, delayed: 2 });
    clock.advance(3_000);
    expect((await receive('slow')).map((message) => message.Body)).toEqual(['message delay']);
    clock.advance(7_000);
    expect((await receive('slow')).map((message) => message.Body)).toEqual(['queue delay']);
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount, keeping id, body and attributes', async () => {
    const { send, receive, sqs, clock, log } = start(
      queue('work', { redrivePolicy: { deadLetterTargetArn: arnOf('work-dlq'), maxReceiveCount: 2 } }),
      queue('work-dlq'),
    );
    const attributes = { kind: { DataType: 'String', StringValue: 'poison' } };
    const { MessageId } = await send('work', { MessageBody: 'poison', MessageAttributes: attributes });

    const receivedCounts: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      receivedCounts.push((await receive('work')).length);
      clock.advance(30_000);
    }

    expect(receivedCounts).toEqual([1, 1, 0]);
    expect(sqs.stats(arnOf('work'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(sqs.peek(arnOf('work-dlq'))).toEqual([{ messageId: MessageId, body: 'poison', receiveCount: 2, sentTimestamp: START, attributes }]);
    const [dead] = await receive('work-dlq');
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe(arnOf('work'));
    expect(log.activities).toContainEqual(expect.objectContaining({ what: 'sqs.redrive', resource: 'work', outcome: 'dead-lettered' }));
  });

  it('drops messages past the retention period, in flight or not', async () => {
    const { send, receive, sqs, clock } = start(queue('short', { messageRetentionSeconds: 60 }));
    await send('short', { MessageBody: 'first' });
    clock.advance(30_000);
    await send('short', { MessageBody: 'second' });
    await receive('short', { MaxNumberOfMessages: 1 });

    clock.advance(30_000);

    expect(sqs.peek(arnOf('short')).map((message) => message.body)).toEqual(['second']);
    expect(sqs.stats(arnOf('short'))).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('purges a queue', async () => {
    const { send, call, sqs } = start(queue('orders'));
    await send('orders');
    await send('orders', { DelaySeconds: 60 });

    await call('PurgeQueue', { QueueUrl: urlOf('orders') });

    expect(sqs.stats(arnOf('orders'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('refuses invalid messages with SQS error codes', async () => {
    const { send, sqs } = start(queue('small', { maximumMessageSize: 1024 }));

    await expect(send('small', { MessageBody: 'x'.repeat(1025) })).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    await expect(send('small', { MessageBody: 'bad \u0000 char' })).rejects.toMatchObject({ code: 'InvalidMessageContents' });
    await expect(send('small', { MessageBody: '' })).rejects.toMatchObject({ code: 'MissingParameter' });
    await expect(send('small', { MessageAttributes: { n: { DataType: 'Number', StringValue: 'many' } } })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    await expect(send('small', { DelaySeconds: 901 })).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    expect(sqs.stats(arnOf('small'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('answers QueueDoesNotExist for an unknown queue, and UnknownOperationException for an unknown action', async () => {
    const { call, sqs } = start(queue('orders'));

    await expect(call('SendMessage', { QueueUrl: urlOf('nope'), MessageBody: 'x' })).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
    await expect(call('GetQueueUrl', { QueueName: 'nope' })).rejects.toMatchObject({ code: 'QueueDoesNotExist' });
    await expect(call('CreateTopic', {})).rejects.toMatchObject({ code: 'UnknownOperationException' });
    expect(() => sqs.sendMessage(arnOf('nope'), 'x')).toThrow(expect.objectContaining({ code: 'QueueDoesNotExist' }));
  });

  it('finds a queue by the last segment of any URL, and by name', async () => {
    const { call, sqs } = start(queue('orders'));

    await call('SendMessage', { QueueUrl: `https://elsewhere.example/${ACCOUNT}/orders`, MessageBody: 'x' });

    expect(sqs.stats(arnOf('orders')).visible).toBe(1);
    expect(await call('GetQueueUrl', { QueueName: 'orders' })).toEqual({ QueueUrl: urlOf('orders') });
  });

  it('sends a message for another local service', async () => {
    const { sqs, receive } = start(queue('targets'));

    const { messageId } = sqs.sendMessage(arnOf('targets'), 'from EventBridge', {
      messageAttributes: { source: { DataType: 'String', StringValue: 'events' } },
    });
    const [message] = await receive('targets');

    expect(message).toMatchObject({
      MessageId: messageId,
      Body: 'from EventBridge',
      MessageAttributes: { source: { DataType: 'String', StringValue: 'events' } },
    });
  });

  it('reports queue attributes', async () => {
    const { send, receive, call, clock } = start(queue('work', { redrivePolicy: { deadLetterTargetArn: arnOf('dlq'), maxReceiveCount: 3 } }));
    await send('work');
    await send('work');
    await send('work', { DelaySeconds: 5 });
    await receive('work', { MaxNumberOfMessages: 1 });
    clock.advance(1_000);

    const all = await call('GetQueueAttributes', { QueueUrl: urlOf('work'), AttributeNames: ['All'] });
    const named = await call('GetQueueAttributes', { QueueUrl: urlOf('work'), AttributeNames: ['ApproximateNumberOfMessages', 'QueueArn'] });

    expect(all).toEqual({
      Attributes: {
        QueueArn: arnOf('work'),
        ApproximateNumberOfMessages: '1',
        ApproximateNumberOfMessagesNotVisible: '1',
        ApproximateNumberOfMessagesDelayed: '1',
        CreatedTimestamp: String(START / 1000),
        LastModifiedTimestamp: String(START / 1000),
        VisibilityTimeout: '30',
        MaximumMessageSize: '262144',
        MessageRetentionPeriod: '345600',
        DelaySeconds: '0',
        ReceiveMessageWaitTimeSeconds: '0',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf('dlq'), maxReceiveCount: 3 }),
        SqsManagedSseEnabled: 'false',
      },
    });
    expect(named).toEqual({ Attributes: { ApproximateNumberOfMessages: '1', QueueArn: arnOf('work') } });
    await expect(call('GetQueueAttributes', { QueueUrl: urlOf('work'), AttributeNames: ['Colour'] })).rejects.toMatchObject({ code: 'InvalidAttributeName' });
  });

  it('lists queues by prefix, page by page', async () => {
    const { call } = start(queue('orders'), queue('orders-dlq'), queue('emails'));

    const first = (await call('ListQueues', { QueueNamePrefix: 'orders', MaxResults: 1 })) as { QueueUrls: string[]; NextToken?: string };
    const second = (await call('ListQueues', { QueueNamePrefix: 'orders', MaxResults: 1, NextToken: first.NextToken })) as {
      QueueUrls: string[];
      NextToken?: string;
    };

    expect([first.QueueUrls, second.QueueUrls]).toEqual([[urlOf('orders')], [urlOf('orders-dlq')]]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('SqsService: batches', () => {
  it('refuses empty, oversized and ambiguous batches', async () => {
    const { call } = start(queue('orders'));
    const entry = (id: string) => ({ Id: id, MessageBody: 'x' });

    await expect(call('SendMessageBatch', { QueueUrl: urlOf('orders'), Entries: [] })).rejects.toMatchObject({ code: 'EmptyBatchRequest' });
    await expect(call('SendMessageBatch', { QueueUrl: urlOf('orders'), Entries: Array.from({ length: 11 }, (_, n) => entry(`e${n}`)) })).rejects.toMatchObject({
      code: 'TooManyEntriesInBatchRequest',
    });
    await expect(call('SendMessageBatch', { QueueUrl: urlOf('orders'), Entries: [entry('same'), entry('same')] })).rejects.toMatchObject({
      code: 'BatchEntryIdsNotDistinct',
    });
    await expect(call('SendMessageBatch', { QueueUrl: urlOf('orders'), Entries: [entry('no spaces')] })).rejects.toMatchObject({ code: 'InvalidBatchEntryId' });
    await expect(call('DeleteMessageBatch', { QueueUrl: urlOf('orders'), Entries: [] })).rejects.toMatchObject({ code: 'EmptyBatchRequest' });
  });

  it('reports each entry: the valid ones succeed, the invalid ones fail with their code', async () => {
    const { call, receive } = start(queue('orders'));

    const sent = (await call('SendMessageBatch', {
      QueueUrl: urlOf('orders'),
      Entries: [
        { Id: 'good', MessageBody: 'fine' },
        { Id: 'bad', MessageBody: 'nul \u0000' },
      ],
    })) as BatchOutput;
    const received = await receive('orders');
    const deleted = (await call('DeleteMessageBatch', {
      QueueUrl: urlOf('orders'),
      Entries: [
        { Id: 'real', ReceiptHandle: received[0]?.ReceiptHandle },
        { Id: 'forged', ReceiptHandle: 'not-a-handle' },
      ],
    })) as BatchOutput;

    expect(sent.Successful).toEqual([expect.objectContaining({ Id: 'good', MD5OfMessageBody: md5('fine') })]);
    expect(sent.Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.any(String) }]);
    expect(received.map((message) => message.Body)).toEqual(['fine']);
    expect(deleted.Successful).toEqual([{ Id: 'real' }]);
    expect(deleted.Failed).toEqual([{ Id: 'forged', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.any(String) }]);
  });

  it('changes visibility in a batch', async () => {
    const { send, call, receive } = start(queue('orders'));
    await send('orders', { MessageBody: 'a' });
    await send('orders', { MessageBody: 'b' });
    const [a, b] = await receive('orders');

    const output = (await call('ChangeMessageVisibilityBatch', {
      QueueUrl: urlOf('orders'),
      Entries: [
        { Id: 'a', ReceiptHandle: a?.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'b', ReceiptHandle: b?.ReceiptHandle, VisibilityTimeout: 600 },
      ],
    })) as BatchOutput;

    expect(output).toEqual({ Successful: [{ Id: 'a' }, { Id: 'b' }], Failed: [] });
    expect((await receive('orders')).map((message) => message.Body)).toEqual(['a']);
  });
});

describe('SqsService: FIFO queues', () => {
  it('serves each group in order, one batch in flight per group', async () => {
    const { send, receive, remove } = start(queue('jobs.fifo', { contentBasedDeduplication: true }));
    for (const [group, body] of [
      ['g1', 'a1'],
      ['g1', 'a2'],
      ['g2', 'b1'],
      ['g1', 'a3'],
    ])
      await send('jobs.fifo', { MessageGroupId: group, MessageBody: body });

    const first = await receive('jobs.fifo', { MaxNumberOfMessages: 1 });
    const second = await receive('jobs.fifo', { MaxNumberOfMessages: 1 });
    const whileBothBusy = await receive('jobs.fifo');
    if (first[0]) await remove('jobs.fifo', first[0]);
    const afterDelete = await receive('jobs.fifo');

    expect([first, second, whileBothBusy, afterDelete].map((batch) => batch.map((message) => message.Body))).toEqual([['a1'], ['b1'], [], ['a2', 'a3']]);
    expect(afterDelete[0]?.Attributes).toMatchObject({ MessageGroupId: 'g1', SequenceNumber: expect.stringMatching(/^\d{20}$/) });
  });

  it('deduplicates by id or content within five minutes', async () => {
    const { send, sqs, clock } = start(queue('jobs.fifo', { contentBasedDeduplication: true }));

    const original = await send('jobs.fifo', { MessageGroupId: 'g', MessageBody: 'same' });
    const byContent = await send('jobs.fifo', { MessageGroupId: 'g', MessageBody: 'same' });
    const byId = await send('jobs.fifo', { MessageGroupId: 'g', MessageBody: 'other', MessageDeduplicationId: 'd-1' });
    const byIdAgain = await send('jobs.fifo', { MessageGroupId: 'g', MessageBody: 'other again', MessageDeduplicationId: 'd-1' });
    clock.advance(5 * 60_000);
    const afterWindow = await send('jobs.fifo', { MessageGroupId: 'g', MessageBody: 'same' });

    expect(byContent.MessageId).toBe(original.MessageId);
    expect(byIdAgain.MessageId).toBe(byId.MessageId);
    // The digest is of the body this request sent: the SDK checks it against that.
    expect(byIdAgain.MD5OfMessageBody).toBe(md5('other again'));
    expect(afterWindow.MessageId).not.toBe(original.MessageId);
    expect(sqs.peek(arnOf('jobs.fifo')).map((message) => message.body)).toEqual(['same', 'other', 'same']);
  });

  it('requires a group id, and a deduplication id unless content-based deduplication is on', async () => {
    const { send } = start(queue('strict.fifo'));

    await expect(send('strict.fifo', { MessageDeduplicationId: 'd' })).rejects.toMatchObject({ code: 'MissingParameter' });
    await expect(send('strict.fifo', { MessageGroupId: 'g' })).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    await expect(send('strict.fifo', { MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });
});

describe('SqsService: long polling', () => {
  it('returns as soon as a message arrives', async () => {
    const { receive, sqs } = start(queue('orders'));

    const polling = receive('orders', { WaitTimeSeconds: 20 });
    sqs.sendMessage(arnOf('orders'), 'arrived');

    expect((await polling).map((message) => message.Body)).toEqual(['arrived']);
  });

  it('ends after WaitTimeSeconds of real time even though the virtual clock stands still', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { receive } = start(queue('orders', { receiveMessageWaitTimeSeconds: 20 }));
    let settled = false;

    // The queue's ReceiveMessageWaitTimeSeconds applies when the request names no wait.
    const polling = receive('orders').finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(19_999);
    const settledEarly = settled;
    await vi.advanceTimersByTimeAsync(1);

    expect(settledEarly).toBe(false);
    expect(await polling).toEqual([]);
  });

  it('ends waiting polls when the service closes', async () => {
    const { receive, sqs } = start(queue('orders'));

    const polling = receive('orders', { WaitTimeSeconds: 20 });
    sqs.close();

    expect(await polling).toEqual([]);
  });
});

describe('SqsService: event source mappings', () => {
  it('delivers visible messages in batches of up to batchSize, in the Lambda SQS event format, and deletes them', async () => {
    const { sqs, log } = start(queue('orders'));
    const { mapping, batches } = recordingMapping('orders', async () => undefined, { batchSize: 10 });
    sqs.addEventSourceMapping(mapping);

    for (let n = 0; n < 25; n += 1)
      sqs.sendMessage(arnOf('orders'), `m${n}`, n === 0 ? { messageAttributes: { kind: { DataType: 'String', StringValue: 'first' } } } : {});
    await settle();

    expect(batches.map((event) => event.Records.length)).toEqual([10, 10, 5]);
    const record = batches[0]?.Records[0];
    expect(record).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: 'm0',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(START), SenderId: ACCOUNT, ApproximateFirstReceiveTimestamp: String(START) },
      messageAttributes: { kind: { stringValue: 'first', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: md5('m0'),
      md5OfMessageAttributes: md5OfMessageAttributes({ kind: { DataType: 'String', StringValue: 'first' } }),
      eventSource: 'aws:sqs',
      eventSourceARN: arnOf('orders'),
      awsRegion: REGION,
    });
    // The event is what handlers typed with @types/aws-lambda expect.
    const typed: SQSEvent | undefined = batches[0];
    expect(typed).toBeDefined();
    expect(sqs.stats(arnOf('orders'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(
      log.activities.filter((activity) => activity.what === 'sqs.delivery').map(({ resource, outcome, detail }) => ({ resource, outcome, detail })),
    ).toEqual([
      { resource: 'consumer', outcome: 'ok', detail: '10 messages' },
      { resource: 'consumer', outcome: 'ok', detail: '10 messages' },
      { resource: 'consumer', outcome: 'ok', detail: '5 messages' },
    ]);
  });

  it('leaves a failed batch to come back after the visibility timeout, until redrive takes it to the dead-letter queue', async () => {
    const { sqs, clock, log } = start(
      queue('work', { visibilityTimeoutSeconds: 30, redrivePolicy: { deadLetterTargetArn: arnOf('work-dlq'), maxReceiveCount: 2 } }),
      queue('work-dlq'),
    );
    const { mapping, batches } = recordingMapping('work', () => Promise.reject(new TypeError('boom')));
    sqs.addEventSourceMapping(mapping);

    const { messageId } = sqs.sendMessage(arnOf('work'), 'poison');
    await settle();
    clock.advance(29_999);
    await settle();
    const attemptsBeforeTimeout = batches.length;
    clock.advance(1);
    await settle();
    clock.advance(30_000);
    await settle();

    expect(attemptsBeforeTimeout).toBe(1);
    expect(batches.map((event) => event.Records.map((record) => record.attributes.ApproximateReceiveCount))).toEqual([['1'], ['2']]);
    expect(sqs.peek(arnOf('work-dlq'))).toEqual([expect.objectContaining({ messageId, body: 'poison' })]);
    expect(sqs.stats(arnOf('work'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(log.activities.map(({ what, outcome }) => `${what} ${outcome}`)).toEqual([
      'sqs.delivery failed',
      'sqs.delivery failed',
      'sqs.redrive dead-lettered',
    ]);
    expect(log.activities[0]?.detail).toBe('1 message: TypeError');
  });

  it('deletes only the records a function did not report as failed', async () => {
    const { sqs, clock, log } = start(queue('orders'));
    const { mapping, bodies } = recordingMapping(
      'orders',
      async (event) => ({ batchItemFailures: event.Records.filter((record) => record.body === 'b').map((record) => ({ itemIdentifier: record.messageId })) }),
      { reportBatchItemFailures: true },
    );
    sqs.addEventSourceMapping(mapping);

    for (const body of ['a', 'b', 'c']) sqs.sendMessage(arnOf('orders'), body);
    await settle();
    const afterFirst = sqs.stats(arnOf('orders'));
    clock.advance(30_000);
    await settle();

    expect(afterFirst).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(bodies()).toEqual([['a', 'b', 'c'], ['b']]);
    expect(log.activities.filter((activity) => activity.what === 'sqs.delivery').map(({ outcome, detail }) => `${outcome}: ${detail}`)).toEqual([
      'partial: 1 of 3 messages failed',
      'partial: 1 of 1 message failed',
    ]);
  });

  it.each([
    ['an unknown identifier', { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a response that is not an object', 'done'],
  ])('fails the whole batch on %s', async (_name, response) => {
    const { sqs, log } = start(queue('orders'));
    const { mapping } = recordingMapping('orders', async () => response, { reportBatchItemFailures: true });
    sqs.addEventSourceMapping(mapping);

    for (const body of ['a', 'b']) sqs.sendMessage(arnOf('orders'), body);
    await settle();

    expect(sqs.stats(arnOf('orders'))).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
    expect(log.activities).toEqual([expect.objectContaining({ what: 'sqs.delivery', outcome: 'failed' })]);
  });

  it('treats an empty or absent failure list as complete success', async () => {
    const { sqs } = start(queue('orders'));
    const answers: unknown[] = [{ batchItemFailures: [] }, null, {}];
    const { mapping } = recordingMapping('orders', async () => answers.shift(), { reportBatchItemFailures: true, batchSize: 1, maximumConcurrency: 1 });
    sqs.addEventSourceMapping(mapping);

    for (const body of ['a', 'b', 'c']) sqs.sendMessage(arnOf('orders'), body);
    await settle();

    expect(answers).toEqual([]);
    expect(sqs.stats(arnOf('orders'))).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('keeps at most maximumConcurrency batches in flight', async () => {
    const { sqs } = start(queue('orders'));
    const pending: ReturnType<typeof deferred<undefined>>[] = [];
    const { mapping, bodies } = recordingMapping(
      'orders',
      () => {
        const invocation = deferred<undefined>();
        pending.push(invocation);
        return invocation.promise;
      },
      { batchSize: 1, maximumConcurrency: 2 },
    );
    sqs.addEventSourceMapping(mapping);

    for (const body of ['a', 'b', 'c', 'd']) sqs.sendMessage(arnOf('orders'), body);
    await settle();
    const whileTwoRun = bodies().flat();
    pending[0]?.resolve(undefined);
    await settle();

    expect(whileTwoRun).toEqual(['a', 'b']);
    expect(bodies().flat()).toEqual(['a', 'b', 'c']);
    expect(sqs.stats(arnOf('orders'))).toEqual({ visible: 1, inFlight: 2, delayed: 0 });
  });

  it('waits out the batching window for a partial batch, but sends a full batch at once', async () => {
    const { sqs, clock } = start(queue('orders'));
    const { mapping, bodies } = recordingMapping('orders', async () => undefined, { batchSize: 3, maximumBatchingWindowSeconds: 5 });
    sqs.addEventSourceMapping(mapping);

    sqs.sendMessage(arnOf('orders'), 'a');
    await settle();
    clock.advance(4_999);
    await settle();
    const beforeWindowEnds = bodies();
    clock.advance(1);
    await settle();
    const afterWindow = bodies();
    for (const body of ['b', 'c', 'd']) sqs.sendMessage(arnOf('orders'), body);
    await settle();

    expect(beforeWindowEnds).toEqual([]);
    expect(afterWindow).toEqual([['a']]);
    expect(bodies()).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('wakes on delayed messages becoming visible, and stops when closed', async () => {
    const { sqs, clock } = start(queue('orders'));
    const { mapping, bodies } = recordingMapping('orders', async () => undefined);
    sqs.addEventSourceMapping(mapping);

    sqs.sendMessage(arnOf('orders'), 'later', { delaySeconds: 60 });
    await settle();
    const beforeDelay = bodies();
    clock.advance(60_000);
    await settle();
    const afterDelay = bodies();
    sqs.close();
    sqs.sendMessage(arnOf('orders'), 'after close');
    sqs.sendMessage(arnOf('orders'), 'delayed after close', { delaySeconds: 60 });
    await settle();

    expect(beforeDelay).toEqual([]);
    expect(afterDelay).toEqual([['later']]);
    expect(bodies()).toEqual([['later']]);
    expect(clock.pending).toBe(0);
  });
});
