import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DescribeRuleCommand, ListEventBusesCommand, ListRulesCommand, PutEventsCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmitter } from '#shared/events/emitter.ts';
import { readProfile } from '#shared/profile/store.ts';
import { ProbeNames } from '#tests/fixtures/probes.ts';
import { fixture } from '#tests/fixtures/events.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

let test: TestCloud;

beforeAll(async () => {
  // Time stands still unless a test moves it: retries, visibility timeouts and schedules wait.
  test = await startTestCloud({ speed: 0 });
});

afterAll(async () => {
  await test.stop();
});

const emitter = () =>
  createEmitter({
    client: test.eventBridge,
    eventBusName: test.busName,
    source: 'com.example.shop',
    clock: () => new Date(test.cloud.clock.now()),
    sleep: async () => {},
  });

async function queueUrl(name: string): Promise<string> {
  const { QueueUrl } = await test.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  return QueueUrl ?? '';
}

/** Receives from a queue until a message arrives. */
async function nextMessage(name: string) {
  const url = await queueUrl(name);
  return eventually(async () => {
    const { Messages } = await test.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    return Messages?.[0];
  }, `a message in ${name}`);
}

describe('the local cloud', () => {
  it('runs an event through its stage workflow into the profile store', async () => {
    const items = [{ productId: 'p-1', quantity: 1, price: 42 }];
    await emitter().emit([
      { detailType: 'order.placed', detail: { customer: { id: 'c-local-1' }, data: { orderId: 'o-1', items, total: 42, currency: 'EUR' } } },
    ]);

    const profile = await eventually(() => readProfile({ ddb: test.ddb, tableName: test.tableName }, 'c-local-1'), 'the profile');

    expect(profile).toMatchObject({ stage: 'buy', counters: { orders: 1 } });
    const { stateMachines = [] } = await test.stepFunctions.send(new ListStateMachinesCommand({}));
    const buy = stateMachines.find((machine) => machine.name?.includes('BuyWorkflow'));
    // The profile is written before the workflow announces the stage change and finishes.
    const statuses = await eventually(async () => {
      const { executions = [] } = await test.stepFunctions.send(new ListExecutionsCommand({ stateMachineArn: buy?.stateMachineArn }));
      return executions.every((execution) => execution.status !== 'RUNNING') ? executions.map((execution) => execution.status) : undefined;
    }, 'the buy workflow to finish');
    expect(statuses).toEqual(['SUCCEEDED']);
  });

  it('delivers customer.stage.changed to a rule that listens for it', async () => {
    const message = await nextMessage(ProbeNames.StageChanges);
    const event = JSON.parse(message.Body ?? '{}') as { source: string; 'detail-type': string; detail: { customer: { id: string }; data: { to: string } } };

    expect(event).toMatchObject({
      source: 'lifecycle',
      'detail-type': 'customer.stage.changed',
      detail: { customer: { id: 'c-local-1' }, data: { to: 'buy' } },
    });
  });

  it('parks an event that breaks the contract, with the reason, and changes nothing', async () => {
    const detail = { ...fixture('order.placed').detail, eventId: 'bad-1', customer: { id: 'c-local-bad' }, data: { orderId: 'o-1' } };
    await test.eventBridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: test.busName, Source: 'com.example.shop', DetailType: 'order.placed', Detail: JSON.stringify(detail) }],
      }),
    );
    await test.cloud.settle();

    const parked = test.cloud.stacks[0]?.queues.find((queue) => queue.name.includes('BuyWorkflowParkedEvents'));
    const [message] = test.cloud.services.sqs.peek(parked?.arn ?? '');
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({
      detail: { eventId: 'bad-1' },
      failure: { Error: 'InvalidEventError', Cause: expect.stringContaining('data.items: is required') },
    });
    expect(await readProfile({ ddb: test.ddb, tableName: test.tableName }, 'c-local-bad')).toBeUndefined();
  });

  it('answers PutEvents entry by entry', async () => {
    const result = await test.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: test.busName, Source: 'probe', DetailType: 'probe.noise', Detail: '{"ok":true}' },
          { EventBusName: test.busName, Source: 'probe', DetailType: 'probe.noise', Detail: 'not json' },
          { EventBusName: 'no-such-bus', Source: 'probe', DetailType: 'probe.noise', Detail: '{}' },
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[0]?.EventId).toBeTruthy();
    expect(result.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(result.Entries?.[2]).toMatchObject({ ErrorCode: 'NotFoundException' });
  });

  it('retries a failing target and then puts the event in its dead-letter queue', async () => {
    test.cloud.faults.set([{ point: 'events.delivery', resource: ProbeNames.UndeliverableRule, rate: 1 }]);
    await test.eventBridge.send(
      new PutEventsCommand({ Entries: [{ EventBusName: test.busName, Source: 'probe', DetailType: 'probe.undeliverable', Detail: '{"n":1}' }] }),
    );

    // Two retries with back-off: a few seconds of virtual time.
    for (let step = 0; step < 5; step++) {
      test.cloud.clock.advance(5_000);
      await test.cloud.settle();
    }
    test.cloud.faults.set([]);

    const message = await nextMessage(ProbeNames.UndeliverableDeadLetters);
    expect(JSON.parse(message.Body ?? '{}')).toMatchObject({ 'detail-type': 'probe.undeliverable', detail: { n: 1 } });
    expect(message.MessageAttributes).toMatchObject({
      ERROR_CODE: { StringValue: 'ThrottlingException' },
      RETRY_ATTEMPTS: { StringValue: '2' },
      EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumRetryAttempts' },
    });
  });

  it('reports itself idle only when nothing is in flight and no timer is due, a retry waiting on the clock aside', async () => {
    test.cloud.faults.set([{ point: 'events.delivery', resource: ProbeNames.UndeliverableRule, rate: 1 }]);
    await test.eventBridge.send(
      new PutEventsCommand({ Entries: [{ EventBusName: test.busName, Source: 'probe', DetailType: 'probe.undeliverable', Detail: '{"n":2}' }] }),
    );
    await test.cloud.settle();
    test.cloud.faults.set([]);
    // The delivery failed; its retry waits on the virtual clock, which stands still.
    expect(test.cloud.idle()).toBe(true);

    // A timer whose time has come is work about to start, and so is a function running.
    test.cloud.clock.at(test.cloud.clock.now(), () => {});
    expect(test.cloud.idle()).toBe(false);
    await test.cloud.settle();
    expect(test.cloud.idle()).toBe(true);
    const invocation = test.cloud.services.lambda.invoke(ProbeNames.Echo, {
      rawPath: '/idle',
      rawQueryString: '',
      requestContext: { http: { method: 'GET' } },
    });
    expect(test.cloud.idle()).toBe(false);
    await invocation;
    await test.cloud.settle();
    expect(test.cloud.idle()).toBe(true);
    // The retry, once due, delivers: nothing left in the dead-letter queue's way.
    test.cloud.clock.advance(5_000);
    await test.cloud.settle();
  });

  it('redrives a queue to its dead-letter queue after maxReceiveCount failed deliveries', async () => {
    await test.sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl(ProbeNames.Work), MessageBody: 'work item' }));

    // Received twice (each time the consumer fails), then moved on the third receive.
    for (let step = 0; step < 3; step++) {
      await test.cloud.settle();
      test.cloud.clock.advance(31_000);
    }

    const message = await nextMessage(ProbeNames.WorkDeadLetters);
    expect(message.Body).toBe('work item');
  });

  it('fires a schedule on the virtual clock', async () => {
    test.cloud.clock.advance(60 * 60_000);

    const message = await nextMessage(ProbeNames.Ticks);
    expect(JSON.parse(message.Body ?? '{}')).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events' });
  });

  it('runs an EventBridge Scheduler schedule on the virtual clock', async () => {
    test.cloud.clock.advance(24 * 60 * 60_000);

    const message = await nextMessage(ProbeNames.Scheduled);
    expect(JSON.parse(message.Body ?? '{}')).toEqual({ from: 'scheduler' });
  });

  it('retries a failing asynchronous invocation twice, then sends it to the failure destination', async () => {
    await test.eventBridge.send(
      new PutEventsCommand({ Entries: [{ EventBusName: test.busName, Source: 'probe', DetailType: 'probe.async', Detail: '{"n":2}' }] }),
    );

    // Lambda retries after about one and then two minutes.
    for (let step = 0; step < 3; step++) {
      await test.cloud.settle();
      test.cloud.clock.advance(2 * 60_000);
    }

    const message = await nextMessage(ProbeNames.AsyncFailures);
    expect(JSON.parse(message.Body ?? '{}')).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { 'detail-type': 'probe.async', detail: { n: 2 } },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'ProbeFailure', errorMessage: 'this function always fails' },
    });
  });

  it('serves a function URL the stack declares', async () => {
    const response = await fetch(`${test.cloud.endpoint}/lambda-url/${ProbeNames.Echo}/hello/world?x=1`, {
      method: 'POST',
      body: 'ping',
      headers: { 'content-type': 'text/plain' },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', path: '/hello/world', query: 'x=1', body: 'ping' });
  });

  it('answers TestEventPattern with the same matcher the rules use', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '1',
      source: 'com.example.shop',
      time: '2026-11-22T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      'detail-type': 'order.placed',
      detail: { total: 42 },
    });

    const yes = await test.eventBridge.send(
      new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ detail: { total: [{ numeric: ['>', 40] }] } }) }),
    );
    const no = await test.eventBridge.send(new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ source: [{ prefix: 'com.other' }] }) }));
    const invalid = test.eventBridge.send(new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ source: 'not-an-array' }) }));

    expect(yes.Result).toBe(true);
    expect(no.Result).toBe(false);
    await expect(invalid).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
  });

  it('lists buses and rules, and describes a rule', async () => {
    const { EventBuses = [] } = await test.eventBridge.send(new ListEventBusesCommand({}));
    expect(EventBuses.map((bus) => bus.Name)).toEqual(expect.arrayContaining(['default', test.busName]));
    const { Rules = [] } = await test.eventBridge.send(new ListRulesCommand({ EventBusName: test.busName }));
    expect(Rules.length).toBeGreaterThanOrEqual(9);
    const rule = await test.eventBridge.send(new DescribeRuleCommand({ Name: ProbeNames.UndeliverableRule, EventBusName: test.busName }));
    expect(JSON.parse(rule.EventPattern ?? '{}')).toEqual({ source: ['probe'], 'detail-type': ['probe.undeliverable'] });
  });

  it('runs an Express workflow synchronously', async () => {
    const { stateMachines = [] } = await test.stepFunctions.send(new ListStateMachinesCommand({}));
    const support = stateMachines.find((machine) => machine.name?.includes('SupportWorkflow'));
    const event = {
      version: '0',
      id: 'e',
      account: '000000000000',
      region: 'us-east-1',
      time: '2026-11-22T10:00:00Z',
      resources: [],
      ...fixture('support.requested'),
    };

    const result = await test.stepFunctions.send(new StartSyncExecutionCommand({ stateMachineArn: support?.stateMachineArn, input: JSON.stringify(event) }));

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '{}')).toMatchObject({ recorded: { status: 'recorded', announce: true } });
  });

  it('starts a Standard execution once per name, as AWS does', async () => {
    const { stateMachines = [] } = await test.stepFunctions.send(new ListStateMachinesCommand({}));
    const standard = stateMachines.find((machine) => machine.name === ProbeNames.Standard);
    const start = (input: string) =>
      test.stepFunctions.send(new StartExecutionCommand({ stateMachineArn: standard?.stateMachineArn, name: 'launch-1', input }));

    const first = await start('{"a":1}');
    const again = await start('{"a":1}');

    // While it runs, the same name and input is the same execution; other input is refused.
    expect(again.executionArn).toBe(first.executionArn);
    await expect(start('{"a":2}')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    // It waits a minute of virtual time; once it has finished, the name stays taken.
    test.cloud.clock.advance(61_000);
    const finished = await eventually(async () => {
      const { status, output } = await test.stepFunctions.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
      return status === 'SUCCEEDED' ? output : undefined;
    }, 'the execution to finish');
    expect(JSON.parse(finished)).toEqual({ echo: { a: 1 } });
    await expect(start('{"a":1}')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('answers an operation it does not know with the AWS error shape', async () => {
    const response = await fetch(test.cloud.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.CreatePartnerEventSource', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
