import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type GraphWidgetProps,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricsNamespace, NOT_ACTED_METRIC } from '#shared/decisions.ts';
import { PARTICIPANTS_LOG_MESSAGE } from '#shared/journeys/metrics.ts';
import { STAGES } from '#shared/stages/stages.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';
import type { StageWorkflow } from './stage-workflow.ts';

/** What the account may do with the alarm topic's key: administer it, and use it (no wildcard). */
const KEY_ADMINISTRATION = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

export interface OperationsProps {
  /** Names the dashboard, prefixes the alarm names and the stage-change metrics' namespace. @default the stack's name, e.g. `Lifecycle-prod` */
  readonly name?: string;
  readonly bus: LifecycleBus;
  readonly stageWorkflows: ReadonlyMap<string, StageWorkflow>;
  /** The journey engine: its errors are journeys' failures. */
  readonly journeyEngine: LambdaFunction;
  /** The functions that enter participants (launcher, trigger gate, API), as the engine moves and ends them: all log the participant counts. */
  readonly journeyStarters: readonly LambdaFunction[];
  /** Every dead-letter queue, by the name the stack's `DeadLetterQueues` output (and `lifecycle dlq`) gives it. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The function whose `event recorded` log lines count stage changes. */
  readonly recordFunction: LambdaFunction;
  readonly sender: LambdaFunction;
  readonly outreachQueue: IQueue;
  /** Where alarms are mailed; the topic has no subscriber when absent. */
  readonly alarmEmail?: string;
}

/** SES pauses an account's sending at a 10% bounce rate and reviews it from 5%; warn well before. */
export const BOUNCE_RATE_THRESHOLD = 0.04;
/** SES pauses at 0.5% and reviews from 0.1%. */
export const COMPLAINT_RATE_THRESHOLD = 0.0008;
/** The stage-change metric the log filter writes, in the namespace `CustomerLifecycle/<name>`, per `Stage` entered. */
export const STAGE_CHANGES_METRIC = 'StageChanges';
/** Participants in a journey (entered, not ended: waiting for their next step), per `Journey` and `Version`, in the same namespace. */
export const PARTICIPANTS_METRIC = 'JourneyParticipants';

const FIVE_MINUTES = Duration.minutes(5);
const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');

/**
 * What an operator watches in AWS: one dashboard with the flow of events, rejections, stage
 * changes, failed executions, email and dead-letter queues; and alarms on the things that need a
 * person — a message in any dead-letter queue, a failed workflow or journey execution, the SES
 * reputation — all sent to one SNS topic. The topic is encrypted with a key of its own, because
 * CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key (its policy cannot
 * admit them): with that key, alarms fire and nobody hears.
 *
 * Every signal is a metric AWS already publishes, except stage changes and journey participants:
 * nothing emits a metric for them, so metric filters read them from log lines — the record
 * function's `event recorded` lines that say the stage changed, and the count of participants the
 * journey functions log whenever entering or ending changes it.
 */
export class Operations extends Construct {
  public readonly alarmTopic: Topic;
  public readonly dashboard: Dashboard;
  private readonly name: string;
  private readonly alarmAction: SnsAction;
  private readonly alarmList: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.name = props.name ?? stack.stackName;
    const queueNames = Object.keys(props.deadLetterQueues);
    if (queueNames.length === 0) throw new Error('Operations needs the dead-letter queues to watch');
    const badName = queueNames.find((queueName) => !NAME_PATTERN.test(queueName));
    if (badName !== undefined) throw new Error(`dead-letter queue name "${badName}" must be lower-case letters, digits and -`);

    this.alarmTopic = this.createTopic(props.alarmEmail);
    this.alarmAction = new SnsAction(this.alarmTopic);

    for (const [queueName, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${pascal(queueName)}DeadLettersAlarm`, {
        alarmName: `dead-letters-${queueName}`,
        description: `Messages are waiting in the ${queueName} dead-letter queue. See why with "npx lifecycle dlq list --stack ${this.name}", fix the cause, then "npx lifecycle dlq redrive --stack ${this.name} --queue ${queueName}".`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: 1,
      });
    }
    for (const [stage, workflow] of props.stageWorkflows) {
      this.alarm(`${pascal(stage)}WorkflowFailedAlarm`, {
        alarmName: `workflow-failed-${stage}`,
        description: `Executions of the ${stage} workflow failed after their retries; their events are parked in the ${stage}-workflow dead-letter queue. Fix the cause, then redrive that queue.`,
        metric: workflow.stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
      });
    }
    const journeyErrors = props.journeyEngine.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: 'journey engine' });
    this.alarm('JourneyEngineErrorsAlarm', {
      alarmName: 'journey-engine-errors',
      description:
        "The journey engine failed to move participants (a wake-up or a waited-for event); Lambda retries it, then parks it in the function-failures dead-letter queue. Read the engine's log for the journey and step, fix the cause, then redrive that queue: a redriven wake-up moves the participant once and sends nothing twice.",
      metric: journeyErrors,
      threshold: 1,
    });
    const bounceRate = new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', statistic: 'Maximum', period: Duration.minutes(15) });
    const complaintRate = new Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', statistic: 'Maximum', period: Duration.minutes(15) });
    this.alarm('BounceRateAlarm', {
      alarmName: 'ses-bounce-rate',
      description:
        'SES bounce rate at or above 4%: SES reviews the account from 5% and may pause sending at 10%. Look for a bad list or import; bounced addresses are suppressed already.',
      metric: bounceRate,
      threshold: BOUNCE_RATE_THRESHOLD,
    });
    this.alarm('ComplaintRateAlarm', {
      alarmName: 'ses-complaint-rate',
      description:
        'SES complaint rate at or above 0.08%: SES reviews the account from 0.1% and may pause sending at 0.5%. Look at which journey or template draws complaints; complainers are suppressed already.',
      metric: complaintRate,
      threshold: COMPLAINT_RATE_THRESHOLD,
    });

    // Stage changes have no AWS metric: count the record function's log lines that announce one.
    const stageChangesNamespace = metricsNamespace(this.name);
    new MetricFilter(this, 'StageChanges', {
      logGroup: props.recordFunction.logGroup,
      filterPattern: FilterPattern.all(FilterPattern.stringValue('$.message', '=', 'event recorded'), FilterPattern.booleanValue('$.stageChanged', true)),
      metricNamespace: stageChangesNamespace,
      metricName: STAGE_CHANGES_METRIC,
      metricValue: '1',
      dimensions: { Stage: '$.stage' },
    });

    // Entering is counted by the functions that start runs and ending by the engine: the same metric from every log.
    for (const [filterId, fn] of [
      ...props.journeyStarters.map((fn) => [`JourneyParticipantsEntered${fn.node.id}`, fn] as const),
      ['JourneyParticipantsMoved', props.journeyEngine] as const,
    ]) {
      new MetricFilter(this, filterId, {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.message', '=', PARTICIPANTS_LOG_MESSAGE),
        metricNamespace: stageChangesNamespace,
        metricName: PARTICIPANTS_METRIC,
        metricValue: '$.participants',
        dimensions: { Journey: '$.journey', Version: '$.version' },
      });
    }
    const participants = new MathExpression({
      expression: `SEARCH('{${stageChangesNamespace},Journey,Version} MetricName="${PARTICIPANTS_METRIC}"', 'Maximum', 3600)`,
      label: '',
      period: Duration.hours(1),
    });

    const notActed = new MathExpression({
      expression: `SEARCH('{${stageChangesNamespace},decision,reason,service} MetricName="${NOT_ACTED_METRIC}"', 'Sum', 300)`,
      label: '',
      period: FIVE_MINUTES,
    });

    const graph = (title: string, left: IMetric[], extra: Omit<GraphWidgetProps, 'title' | 'left'> = {}) =>
      new GraphWidget({ title, left, width: 12, height: 6, ...extra });
    const sum = { period: FIVE_MINUTES, statistic: 'Sum' } as const;
    const workflows = [...props.stageWorkflows];
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: this.name,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new TextWidget({
            markdown: `# ${this.name}\nRunbook: the README's "Operating it" section. Dead-letter queues: \`npx lifecycle dlq list --stack ${this.name}\`.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          graph(
            'Events in, by stage workflow',
            workflows.map(
              ([stage, workflow]) =>
                new Metric({
                  namespace: 'AWS/Events',
                  metricName: 'Invocations',
                  dimensionsMap: { EventBusName: props.bus.bus.eventBusName, RuleName: workflow.rule.ruleName },
                  label: stage,
                  ...sum,
                }),
            ),
            { stacked: true },
          ),
          graph(
            'Events parked (rejected, or failed after retries)',
            workflows.map(([stage, workflow]) => workflow.deadLetterQueue.metricNumberOfMessagesSent({ label: stage, ...sum })),
            { stacked: true },
          ),
        ],
        [
          graph(
            'Stage changes, by the stage entered',
            STAGES.map(
              (stage) =>
                new Metric({ namespace: stageChangesNamespace, metricName: STAGE_CHANGES_METRIC, dimensionsMap: { Stage: stage }, label: stage, ...sum }),
            ),
            { stacked: true },
          ),
          graph('Workflow executions and journey moves failed', [
            ...workflows.map(([stage, workflow]) => workflow.stateMachine.metricFailed({ label: `${stage} workflow`, ...sum })),
            journeyErrors,
          ]),
        ],
        [
          // Every decision not to act, counted by the function that made it (shared/decisions.ts).
          graph('Decisions not to act, by decision and reason', [notActed], { width: 24, stacked: true }),
        ],
        [
          // The count is logged when it changes; between changes the last point holds.
          graph('Participants waiting, per journey and version', [participants], { width: 24 }),
        ],
        [
          graph('Emails sent, bounced and complained about (account)', [
            new Metric({ namespace: 'AWS/SES', metricName: 'Send', label: 'sent', ...sum }),
            new Metric({ namespace: 'AWS/SES', metricName: 'Bounce', label: 'bounced', ...sum }),
            new Metric({ namespace: 'AWS/SES', metricName: 'Complaint', label: 'complained', ...sum }),
          ]),
          graph('SES reputation', [bounceRate.with({ label: 'bounce rate' })], {
            right: [complaintRate.with({ label: 'complaint rate' })],
            leftAnnotations: [{ value: BOUNCE_RATE_THRESHOLD, label: 'bounce alarm' }],
            rightAnnotations: [{ value: COMPLAINT_RATE_THRESHOLD, label: 'complaint alarm' }],
          }),
        ],
        [
          graph(
            'Dead-letter queue depths',
            Object.entries(props.deadLetterQueues).map(([queueName, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({ label: queueName, period: FIVE_MINUTES, statistic: 'Maximum' }),
            ),
          ),
          // SES throttling is retried in the sender, then the request goes back to the queue: it
          // shows as the outreach queue's oldest message growing older, not as a function error.
          graph(
            'Sender: throttles, errors and outreach queue age',
            [props.sender.metricThrottles({ label: 'sender throttles', ...sum }), props.sender.metricErrors({ label: 'sender errors', ...sum })],
            {
              right: [
                props.outreachQueue.metricApproximateAgeOfOldestMessage({ label: 'oldest send request (s)', period: FIVE_MINUTES, statistic: 'Maximum' }),
              ],
            },
          ),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarmList, width: 24, height: 6 })],
      ],
    });
  }

  /** Every alarm, each notifying the topic. */
  public get alarms(): readonly Alarm[] {
    return this.alarmList;
  }

  /** One topic for every alarm, under a key CloudWatch may use, taking only TLS and only this stack's alarms. */
  private createTopic(alarmEmail: string | undefined): Topic {
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new Key(this, 'OperatorAlarmsKey', {
      description: `Encrypts the operator alarm topic of ${this.name}`,
      enableKeyRotation: true,
      // It protects alarm notifications in flight only; nothing is left to decrypt once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
      // The whole key policy, named action by action (the default grants the account kms:*): the
      // account administers the key, and CloudWatch may encrypt what it publishes to the topic.
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({ principals: [new AccountRootPrincipal()], actions: KEY_ADMINISTRATION, resources: ['*'] }),
          new PolicyStatement({ principals: [cloudWatch], actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'] }),
        ],
      }),
    });
    const topic = new Topic(this, 'OperatorAlarms', {
      displayName: 'Customer lifecycle: operator alarms',
      enforceSSL: true,
      masterKey: key,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${this.name}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (alarmEmail) topic.addSubscription(new EmailSubscription(alarmEmail));
    return topic;
  }

  private alarm(id: string, props: { readonly alarmName: string; readonly description: string; readonly metric: IMetric; readonly threshold: number }): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.name}-${props.alarmName}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    this.alarmList.push(alarm);
  }
}
