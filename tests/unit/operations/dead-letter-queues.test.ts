import { EventBridgeClient, ListTargetsByRuleCommand, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { peekQueue, redriveQueue } from '#shared/operations/dead-letter-queues.ts';
import { fixture } from '#tests/fixtures/events.ts';

const sqsMock = mockClient(SQSClient);
const eventsMock = mockClient(EventBridgeClient);
const lambdaMock = mockClient(LambdaClient);
const deps = {
  sqs: new SQSClient({}),
  events: new EventBridgeClient({}),
  lambda: new LambdaClient({}),
  sfn: new SFNClient({}),
  eventBusName: 'lifecycle-test',
  outreachQueueUrl: 'https://sqs.test/outreach',
};
const buyQueue = { name: 'buy-workflow', url: 'https://sqs.test/buy-dlq' };
const outreachQueue = { name: 'outreach', url: 'https://sqs.test/outreach-dlq' };

/** A parked event of customer `n`, failed with `error`. */
const parked = (n: number, error: string): Message => {
  const event = fixture('order.placed');
  return {
    MessageId: `m-${n}`,
    ReceiptHandle: `h-${n}`,
    Body: JSON.stringify({ ...event, detail: { ...event.detail, eventId: `e-${n}` }, failure: { Error: error, Cause: 'mina.kim@example.com' } }),
  };
};

/** The queue holds `messages`: one receive returns them, the next finds nothing. */
function queueHolds(messages: Message[]): void {
  sqsMock
    .on(GetQueueAttributesCommand)
    .resolves({ Attributes: { ApproximateNumberOfMessages: String(messages.length), ApproximateNumberOfMessagesNotVisible: '0' } });
  sqsMock.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({});
  sqsMock.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
}

const eventIdOf = (entry: PutEventsRequestEntry | undefined) => (JSON.parse(entry?.Detail ?? '{}') as { eventId?: string }).eventId;
const handlesIn = (command: typeof DeleteMessageBatchCommand | typeof ChangeMessageVisibilityBatchCommand) =>
  sqsMock.commandCalls(command).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.ReceiptHandle));

beforeEach(() => {
  sqsMock.reset();
  eventsMock.reset();
  lambdaMock.reset();
});

describe('redriving a dead-letter queue', () => {
  it('puts failed events back on the bus and deletes only those PutEvents accepted', async () => {
    queueHolds([parked(1, 'InjectedFault'), parked(2, 'InjectedFault'), parked(3, 'InvalidEventError')]);
    eventsMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'eb-1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] });

    const result = await redriveQueue(deps, buyQueue);

    expect(eventsMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({ EventBusName: 'lifecycle-test', Source: 'com.example.shop', DetailType: 'order.placed' }),
        expect.objectContaining({ EventBusName: 'lifecycle-test', DetailType: 'order.placed' }),
      ],
    });
    const entries = eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries.map(eventIdOf)).toEqual(['e-1', 'e-2']);
    expect(handlesIn(DeleteMessageBatchCommand)).toEqual(['h-1']);
    expect(handlesIn(ChangeMessageVisibilityBatchCommand).sort()).toEqual(['h-2', 'h-3']);
    expect(result).toMatchObject({ queue: 'buy-workflow', examined: 3, redriven: 1, notDeleted: 0, left: 2 });
    expect(result.leftBy).toEqual(
      expect.arrayContaining([
        { why: 'rejected: it would be rejected again; fix it, then --include-rejected', reason: 'InvalidEventError', count: 1 },
        { why: 're-sending failed (ThrottlingException): tried again on the next redrive', reason: 'InjectedFault', count: 1 },
      ]),
    );
  });

  it('redrives rejected events too when asked', async () => {
    queueHolds([parked(1, 'InvalidEventError')]);
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });

    const result = await redriveQueue(deps, buyQueue, { includeRejected: true });

    expect(eventsMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(handlesIn(DeleteMessageBatchCommand)).toEqual(['h-1']);
    expect(result).toMatchObject({ redriven: 1, left: 0 });
  });

  it('puts send requests back on the outreach queue as they were', async () => {
    const body = JSON.stringify({ version: 1, messageKey: 'k-1', customerId: 'c-1', template: 'welcome', kind: 'marketing', topic: 'newsletter' });
    queueHolds([
      { MessageId: 'm-1', ReceiptHandle: 'h-1', Body: body, MessageAttributes: { error: { DataType: 'String', StringValue: 'ThrottlingException' } } },
    ]);
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'new-1', MD5OfMessageBody: '' }], Failed: [] });

    const result = await redriveQueue(deps, outreachQueue);

    expect(sqsMock).toHaveReceivedCommandWith(SendMessageBatchCommand, { QueueUrl: 'https://sqs.test/outreach', Entries: [{ Id: '0', MessageBody: body }] });
    expect(eventsMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(handlesIn(DeleteMessageBatchCommand)).toEqual(['h-1']);
    expect(result).toMatchObject({ redriven: 1, left: 0 });
  });

  it('changes nothing in a dry run, and says what would go', async () => {
    queueHolds([parked(1, 'InjectedFault'), parked(2, 'InvalidEventError')]);

    const result = await redriveQueue(deps, buyQueue, { dryRun: true });

    expect(eventsMock).not.toHaveReceivedCommand(PutEventsCommand);
    expect(sqsMock).not.toHaveReceivedCommand(DeleteMessageBatchCommand);
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageBatchCommand);
    expect(handlesIn(ChangeMessageVisibilityBatchCommand).sort()).toEqual(['h-1', 'h-2']);
    expect(result).toMatchObject({ examined: 2, redriven: 1, left: 1 });
  });

  it('makes the messages visible again and deletes nothing when the bus cannot be reached', async () => {
    queueHolds([parked(1, 'InjectedFault')]);
    eventsMock.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));

    await expect(redriveQueue(deps, buyQueue)).rejects.toThrow('ECONNREFUSED');

    expect(sqsMock).not.toHaveReceivedCommand(DeleteMessageBatchCommand);
    expect(handlesIn(ChangeMessageVisibilityBatchCommand)).toEqual(['h-1']);
  });

  it('takes no more than the queue held when it began, so what fails again waits for the next run', async () => {
    queueHolds([parked(1, 'InjectedFault')]);
    // Were the queue asked again, it would return a message that arrived during the run.
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [parked(1, 'InjectedFault')] })
      .resolves({ Messages: [parked(9, 'InjectedFault')] });
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });

    const result = await redriveQueue(deps, buyQueue);

    expect(sqsMock).toHaveReceivedCommandTimes(ReceiveMessageCommand, 1);
    expect(result).toMatchObject({ examined: 1, redriven: 1 });
  });

  describe("an AWS service's event, straight to the rule's target", () => {
    const deliveryQueue = { name: 'event-delivery', url: 'https://sqs.test/delivery-dlq' };
    const feedbackArn = 'arn:aws:lambda:us-east-1:000000000000:function:Feedback';
    const launcherArn = 'arn:aws:lambda:us-east-1:000000000000:function:Launcher';
    const bounce = {
      version: '0',
      id: 'b-1',
      source: 'aws.ses',
      'detail-type': 'Email Bounced',
      account: '000000000000',
      time: '2026-11-22T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { eventType: 'Bounce' },
    };
    const schedule = { ...bounce, id: 's-1', source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-11-22T04:00:00Z', detail: {} };
    const undelivered = (n: number, event: object, rule: string, target: string): Message => ({
      MessageId: `m-${n}`,
      ReceiptHandle: `h-${n}`,
      Body: JSON.stringify(event),
      MessageAttributes: Object.fromEntries(
        Object.entries({ RULE_ARN: `arn:aws:events:us-east-1:000000000000:rule/${rule}`, TARGET_ARN: target, ERROR_CODE: 'ThrottlingException' }).map(
          ([name, value]) => [name, { DataType: 'String', StringValue: value }],
        ),
      ),
    });

    it('invokes the target with the input the rule gives it, and deletes what was accepted', async () => {
      queueHolds([undelivered(1, bounce, 'SesFeedbackRule', feedbackArn), undelivered(2, schedule, 'Evaluate-at-risk', launcherArn)]);
      eventsMock.on(ListTargetsByRuleCommand, { Rule: 'SesFeedbackRule', EventBusName: 'default' }).resolves({ Targets: [{ Id: 't', Arn: feedbackArn }] });
      eventsMock.on(ListTargetsByRuleCommand, { Rule: 'Evaluate-at-risk', EventBusName: 'default' }).resolves({
        Targets: [
          {
            Id: 't',
            Arn: launcherArn,
            InputTransformer: { InputPathsMap: { 'time-0': '$.time' }, InputTemplate: '{"evaluate":{"segment":"at-risk","at":<time-0>}}' },
          },
        ],
      });
      lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });

      const result = await redriveQueue(deps, deliveryQueue);

      const invoked = lambdaMock
        .commandCalls(InvokeCommand)
        .map((call) => [call.args[0].input.FunctionName, call.args[0].input.InvocationType, Buffer.from(call.args[0].input.Payload as Uint8Array).toString()]);
      expect(invoked).toEqual([
        [feedbackArn, 'Event', JSON.stringify(bounce)],
        [launcherArn, 'Event', '{"evaluate":{"segment":"at-risk","at":"2026-11-22T04:00:00Z"}}'],
      ]);
      expect(eventsMock).not.toHaveReceivedCommand(PutEventsCommand);
      expect(handlesIn(DeleteMessageBatchCommand)).toEqual(['h-1', 'h-2']);
      expect(result).toMatchObject({ redriven: 2, left: 0 });
    });

    it('leaves the event when the rule no longer has that target, or the target refuses it', async () => {
      queueHolds([undelivered(1, bounce, 'SesFeedbackRule', feedbackArn), undelivered(2, schedule, 'lifecycle-dev/Scoring', launcherArn)]);
      eventsMock.on(ListTargetsByRuleCommand, { Rule: 'SesFeedbackRule' }).resolves({ Targets: [] });
      eventsMock.on(ListTargetsByRuleCommand, { Rule: 'Scoring', EventBusName: 'lifecycle-dev' }).resolves({ Targets: [{ Id: 't', Arn: launcherArn }] });
      lambdaMock.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: {} }));

      const result = await redriveQueue(deps, deliveryQueue);

      expect(sqsMock).not.toHaveReceivedCommand(DeleteMessageBatchCommand);
      expect(result.leftBy.map((entry) => entry.why).sort()).toEqual([
        're-sending failed (TargetNotFound): tried again on the next redrive',
        're-sending failed (TooManyRequestsException): tried again on the next redrive',
      ]);
    });
  });

  it('asks an empty queue nothing but its count', async () => {
    queueHolds([]);

    const result = await redriveQueue(deps, buyQueue);

    expect(sqsMock).not.toHaveReceivedCommand(ReceiveMessageCommand);
    expect(result).toEqual({ queue: 'buy-workflow', examined: 0, redriven: 0, notDeleted: 0, left: 0, leftBy: [] });
  });
});

describe('looking into a dead-letter queue', () => {
  it('sums up the messages and makes every one visible again', async () => {
    queueHolds([parked(1, 'InjectedFault'), parked(2, 'InvalidEventError')]);

    const peek = await peekQueue(deps.sqs, buyQueue);

    expect(sqsMock).toHaveReceivedCommandWith(ReceiveMessageCommand, { QueueUrl: buyQueue.url, VisibilityTimeout: 30, MessageAttributeNames: ['All'] });
    expect(handlesIn(ChangeMessageVisibilityBatchCommand).sort()).toEqual(['h-1', 'h-2']);
    expect(sqsMock).not.toHaveReceivedCommand(DeleteMessageBatchCommand);
    expect(peek).toMatchObject({
      queue: 'buy-workflow',
      messages: 2,
      inFlight: 0,
      examined: 2,
      redrivable: 1,
      kinds: { failed: 1, rejected: 1 },
      types: { 'order.placed': 2 },
    });
  });

  it('stops when the queue returns only messages it has seen', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '5' } });
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [parked(1, 'InjectedFault')] });
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });

    const peek = await peekQueue(deps.sqs, buyQueue);

    expect(sqsMock).toHaveReceivedCommandTimes(ReceiveMessageCommand, 2);
    expect(peek).toMatchObject({ messages: 5, examined: 1 });
  });
});
