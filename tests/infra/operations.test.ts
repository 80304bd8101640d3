import { readFileSync } from 'node:fs';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Operations } from '#infra/constructs/operations.ts';
import { Outputs } from '#infra/lifecycle-stack.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { defaultStack, synthStack } from '#tests/support/stack.ts';

const { template, stack } = defaultStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
/** Whether a template fragment refers to a resource (by Ref or Fn::GetAtt). */
const refersTo = (fragment: unknown, logicalId: string) => JSON.stringify(fragment).includes(`"${logicalId}"`);

const alarms = resources('AWS::CloudWatch::Alarm');
const alarmsOn = (metricName: string, logicalId: string) =>
  alarms.filter(([, alarm]) => JSON.stringify(alarm.Properties).includes(`"${metricName}"`) && refersTo(alarm.Properties, logicalId));

/** The dead-letter queues the stack's output lists (what `lifecycle dlq` reads), by logical id. */
function outputQueueIds(): string[] {
  const output = template.findOutputs(Outputs.DeadLetterQueues)[Outputs.DeadLetterQueues] as { Value: unknown };
  return [...JSON.stringify(output.Value).matchAll(/"Ref":"([A-Za-z0-9]+)"/g)].map((match) => match[1] ?? '');
}

interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: readonly (readonly unknown[])[]; readonly alarms?: readonly string[] };
}

/** The dashboard body, with each CloudFormation reference written as `Ref:Id` or `GetAtt:Id.Attribute`. */
function dashboard(from = template): { name: unknown; widgets: readonly Widget[] } {
  const [[, resource] = expect.unreachable()] = Object.entries(from.findResources('AWS::CloudWatch::Dashboard')) as [string, Resource][];
  const parts = (resource.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return token.Ref ? `Ref:${token.Ref}` : `GetAtt:${token['Fn::GetAtt']?.join('.')}`;
    })
    .join('');
  return { name: resource.Properties.DashboardName, widgets: (JSON.parse(text) as { widgets: Widget[] }).widgets };
}

function widget(title: string): Widget {
  const found = dashboard().widgets.find((each) => each.properties.title === title);
  if (!found) expect.fail(`the dashboard has no widget "${title}"`);
  return found;
}
const metricNames = (found: Widget) => (found.properties.metrics ?? []).map((metric) => `${String(metric[0])}/${String(metric[1])}`);

describe('operations: alarms', () => {
  it('alarms on every dead-letter queue, from one visible message', () => {
    // Every queue that is not a work queue (with a redrive policy of its own) is a dead-letter queue.
    const deadLetterQueues = resources('AWS::SQS::Queue')
      .filter(([, queue]) => !queue.Properties.RedrivePolicy)
      .map(([id]) => id);
    expect(deadLetterQueues.length).toBeGreaterThanOrEqual(10);
    expect(outputQueueIds().sort()).toEqual([...deadLetterQueues].sort());
    for (const queueId of deadLetterQueues) {
      const [found, ...more] = alarmsOn('ApproximateNumberOfMessagesVisible', queueId);
      expect(found, queueId).toBeDefined();
      expect(more, queueId).toEqual([]);
      expect(found?.[1].Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms when an execution of any stage workflow fails, or the journey engine does', () => {
    const machines = resources('AWS::StepFunctions::StateMachine').map(([id]) => id);
    expect(machines).toHaveLength(stack.workflows.size);
    for (const machineId of machines) {
      const [found, ...more] = alarmsOn('ExecutionsFailed', machineId);
      expect(found, machineId).toBeDefined();
      expect(more, machineId).toEqual([]);
      expect(found?.[1].Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
    const engine = alarmsOn('Errors', idOf(stack.journeys.runtime));
    expect(engine.map(([, alarm]) => alarm.Properties.AlarmName)).toEqual(['Lifecycle-dev-journey-engine-errors']);
    expect(engine[0]?.[1].Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('watches the SES reputation below the rates at which SES pauses sending', () => {
    const reputation = (metricName: string) => alarms.find(([, alarm]) => alarm.Properties.MetricName === metricName)?.[1].Properties;
    expect(reputation('Reputation.BounceRate')).toMatchObject({
      Namespace: 'AWS/SES',
      Statistic: 'Maximum',
      Threshold: 0.04,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(reputation('Reputation.ComplaintRate')).toMatchObject({
      Namespace: 'AWS/SES',
      Statistic: 'Maximum',
      Threshold: 0.0008,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('sends every alarm to the one operator topic', () => {
    const topics = resources('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const [[topicId] = expect.unreachable()] = topics;
    // Every dead-letter queue, every stage workflow, the journey engine, and the SES reputation.
    expect(alarms.length).toBe(outputQueueIds().length + stack.workflows.size + 1 + 2);
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
  });

  it("encrypts the topic with a key CloudWatch may use, and lets only this stack's alarms publish", () => {
    const [[topicId, topic] = expect.unreachable()] = resources('AWS::SNS::Topic');
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = template.findResources('AWS::KMS::Key')[keyId] as Resource;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = (key.Properties.KeyPolicy as { Statement: { Action: string | string[] }[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
    );
    // The account keeps the key in hand (it may change the policy), action by action: no kms:*.
    expect(statements.flatMap((statement) => [statement.Action].flat())).toContain('kms:PutKeyPolicy');
    expect(statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.includes('*'))).toEqual([]);
    const [[, policy] = expect.unreachable()] = resources('AWS::SNS::TopicPolicy').filter(([, each]) => refersTo(each.Properties.Topics, topicId));
    const publish = (policy.Properties.PolicyDocument as { Statement: { Effect: string; Principal: unknown; Condition?: unknown }[] }).Statement.find(
      (statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Principal).includes('cloudwatch.amazonaws.com'),
    );
    expect(JSON.stringify(publish?.Condition)).toContain(':alarm:Lifecycle-dev-*');
    // The condition admits alarms by name: every alarm must carry the prefix.
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmName, id).toMatch(/^Lifecycle-dev-/);
  });

  it('mails the alarms when given an address', () => {
    synthStack({ context: { alarmEmail: 'ops@example.com' } }).template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^OperationsOperatorAlarms') },
    });
  });

  it('refuses a dead-letter queue name that the dlq command could not take', () => {
    const props = {
      bus: stack.bus,
      stageWorkflows: stack.workflows,
      journeyEngine: stack.journeys.runtime,
      journeyStarters: [stack.journeys.launcher, stack.journeys.triggerGate, stack.journeys.api],
      deadLetterQueues: { 'Event Delivery': stack.bus.deadLetterQueue },
      recordFunction: stack.outreach.sender,
      sender: stack.outreach.sender,
      outreachQueue: stack.outreach.queue,
    };
    expect(() => new Operations(new Stack(new App(), 'Other'), 'Operations', props)).toThrow(/Event Delivery/);
  });
});

describe('operations: the dashboard', () => {
  it('is named after the stack, and so after the environment', () => {
    expect(dashboard().name).toBe('Lifecycle-dev');
    const prod = synthStack({ context: { environment: 'prod', advertiserName: 'Oak & Lamp', advertiserContact: 'help@oak.example' } }).template;
    expect(dashboard(prod).name).toBe('Lifecycle-prod');
  });

  it('shows the events each stage workflow receives and the events it parks', () => {
    const eventsIn = widget('Events in, by stage workflow');
    const parked = widget('Events parked (rejected, or failed after retries)');
    expect(new Set(metricNames(eventsIn))).toEqual(new Set(['AWS/Events/Invocations']));
    expect(new Set(metricNames(parked))).toEqual(new Set(['AWS/SQS/NumberOfMessagesSent']));
    for (const [stage, workflow] of stack.workflows) {
      expect(JSON.stringify(eventsIn), stage).toContain(`Ref:${idOf(workflow.rule)}`);
      expect(JSON.stringify(parked), stage).toContain(`GetAtt:${idOf(workflow.deadLetterQueue)}.QueueName`);
    }
  });

  it('shows stage changes by the stage entered', () => {
    const changes = widget('Stage changes, by the stage entered');
    expect(changes.properties.metrics?.map((metric) => [metric[0], metric[1], metric[3]])).toEqual(
      STAGES.map((stage) => ['CustomerLifecycle/Lifecycle-dev', 'StageChanges', stage]),
    );
  });

  it("shows failed executions of every stage workflow and the journey engine's errors", () => {
    const failed = JSON.stringify(widget('Workflow executions and journey moves failed'));
    for (const [machineId] of resources('AWS::StepFunctions::StateMachine')) expect(failed, machineId).toContain(`Ref:${machineId}`);
    expect(failed).toContain(`Ref:${idOf(stack.journeys.runtime)}`);
  });

  it('shows emails, the SES reputation, every dead-letter queue and the sender', () => {
    expect(metricNames(widget('Emails sent, bounced and complained about (account)'))).toEqual(['AWS/SES/Send', 'AWS/SES/Bounce', 'AWS/SES/Complaint']);
    expect(metricNames(widget('SES reputation'))).toEqual(['AWS/SES/Reputation.BounceRate', 'AWS/SES/Reputation.ComplaintRate']);
    const depths = JSON.stringify(widget('Dead-letter queue depths'));
    for (const queueId of outputQueueIds()) expect(depths, queueId).toContain(`GetAtt:${queueId}.QueueName`);
    const sender = widget('Sender: throttles, errors and outreach queue age');
    expect(metricNames(sender)).toEqual(['AWS/Lambda/Throttles', 'AWS/Lambda/Errors', 'AWS/SQS/ApproximateAgeOfOldestMessage']);
    expect(JSON.stringify(sender)).toContain(`Ref:${idOf(stack.outreach.sender)}`);
  });

  it('shows the state of every alarm', () => {
    const shown = dashboard().widgets.find((each) => each.type === 'alarm')?.properties.alarms ?? [];
    expect([...shown].sort()).toEqual(alarms.map(([id]) => `GetAtt:${id}.Arn`).sort());
  });
});

describe('operations: stage changes', () => {
  it('counts the stage changes the record function logs', () => {
    const [[, filter] = expect.unreachable(), ...more] = resources('AWS::Logs::MetricFilter').filter(([, each]) =>
      JSON.stringify(each).includes('StageChanges'),
    );
    expect(more).toEqual([]);
    expect(filter.Properties).toMatchObject({
      LogGroupName: { Ref: expect.stringMatching(/^RecordEventLogs/) },
      FilterPattern: '{ ($.message = "event recorded") && ($.stageChanged IS TRUE) }',
      MetricTransformations: [
        { MetricNamespace: 'CustomerLifecycle/Lifecycle-dev', MetricName: 'StageChanges', MetricValue: '1', Dimensions: [{ Key: 'Stage', Value: '$.stage' }] },
      ],
    });
    // The filter reads the function's log line: if the line changes, the metric goes quiet.
    const handler = readFileSync(new URL('../../functions/record-event.ts', import.meta.url), 'utf8');
    const line = /logger\.info\('event recorded', \{([^}]*)\}/.exec(handler)?.[1] ?? '';
    expect(line).toMatch(/\bstage: /);
    expect(line).toMatch(/\bstageChanged: /);
  });
});

describe('operations: participants waiting in journeys', () => {
  const filters = () => resources('AWS::Logs::MetricFilter').filter(([, each]) => JSON.stringify(each).includes('JourneyParticipants'));

  it('reads the participant counts every journey function logs (those that start runs, and the engine), per journey and version', () => {
    const logGroups = filters().map(([, filter]) => JSON.stringify(filter.Properties?.LogGroupName));
    expect(logGroups).toHaveLength(4);
    for (const fn of ['JourneysLauncherLogs', 'JourneysTriggerGateLogs', 'JourneysApiLogs', 'JourneysRuntimeLogs'])
      expect(
        logGroups.filter((group) => group.includes(fn)),
        fn,
      ).toHaveLength(1);
    for (const [, filter] of filters()) {
      expect(filter.Properties).toMatchObject({
        FilterPattern: '{ $.message = "journey participants" }',
        MetricTransformations: [
          {
            MetricNamespace: 'CustomerLifecycle/Lifecycle-dev',
            MetricName: 'JourneyParticipants',
            MetricValue: '$.participants',
            Dimensions: [
              { Key: 'Journey', Value: '$.journey' },
              { Key: 'Version', Value: '$.version' },
            ],
          },
        ],
      });
    }
  });

  it('draws every journey and version the filters make on the dashboard', () => {
    const shown = JSON.stringify(widget('Participants waiting, per journey and version'));
    expect(shown).toContain("SEARCH('{CustomerLifecycle/Lifecycle-dev,Journey,Version} MetricName=\\\"JourneyParticipants\\\"', 'Maximum', 3600)");
  });
});
