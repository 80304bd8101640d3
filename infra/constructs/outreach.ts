import { Arn, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnConfigurationSet, CfnConfigurationSetEventDestination } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { SES_SOURCE, SesEventDetailTypes } from '#shared/outreach/ses-event.ts';
import { BaseFunction } from './base-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';
import type { ProfileStore } from './profile-store.ts';

export interface OutreachProps {
  readonly bus: LifecycleBus;
  readonly profiles: ProfileStore;
  readonly failureQueue: DeadLetterQueue;
  readonly logRetention: RetentionDays;
  /** The From address; its domain must be a verified SES identity. */
  readonly senderAddress: string;
  readonly configurationSetName: string;
  /** @default 'opt-in' */
  readonly consentMode?: 'opt-in' | 'opt-out';
  /** @default '21:00-08:00' */
  readonly quietHours?: string;
  /** Marketing emails per customer per days. @default '3/7' */
  readonly frequencyCap?: string;
  /** Emails per second across the sender. @default 10 */
  readonly maxSendRate?: number;
  readonly brandName: string;
  readonly brandUrl: string;
  /** Who sends advertising email: named, with a contact, in every Korean marketing email. */
  readonly advertiser: { readonly name: string; readonly contact: string };
  readonly defaultTimezone: string;
  /** Soft bounces in a row that suppress an address. @default 3 */
  readonly softBounceLimit?: number;
}

/** Receives a send request beyond this many times: it goes to the dead-letter queue with its reason. */
const MAX_RECEIVES = 5;
/** Concurrent sender instances; with the send rate, this paces SES. */
const SENDER_CONCURRENCY = 2;
const SES_EVENT_TYPES = ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT', 'OPEN', 'CLICK', 'RENDERING_FAILURE', 'DELIVERY_DELAY'];

/**
 * Outreach: every email the system sends goes through here. Workflows and journeys put send
 * requests on the queue; the sender decides (consent, suppression, frequency cap, quiet hours),
 * renders and sends through an SES configuration set whose events come back to the feedback
 * function; marketing email links to the unsubscribe function. The alarms on the SES reputation
 * and on the dead-letter queue are with the others, in operations.ts.
 */
export class Outreach extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly sender: BaseFunction;
  public readonly feedback: BaseFunction;
  public readonly unsubscribe: BaseFunction;
  public readonly unsubscribeUrl: FunctionUrl;
  public readonly signingSecret: Secret;

  constructor(scope: Construct, id: string, props: OutreachProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const maxSendRate = props.maxSendRate ?? 10;
    if (maxSendRate <= 0) throw new Error(`maxSendRate must be positive, got ${maxSendRate}`);
    if (props.advertiser.name.trim() === '' || props.advertiser.contact.trim() === '')
      throw new Error('advertiser needs a name and a contact: Korean advertising email must show both');

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters');
    const senderTimeout = Duration.seconds(60);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda consumer: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(senderTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES + 1 },
    });

    this.signingSecret = new Secret(this, 'UnsubscribeSigningSecret', {
      description: 'Signs unsubscribe links (HMAC-SHA256)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'An HMAC signing key has no downstream credential to rotate with a rotation Lambda; operators rotate it with PutSecretValue, and links signed with the previous version stay valid (see README, Operating it).',
    });

    const configurationSet = new CfnConfigurationSet(this, 'ConfigurationSet', {
      name: props.configurationSetName,
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
      // The account-level suppression list, as a second line behind the system's own.
      suppressionOptions: { suppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    const destination = new CfnConfigurationSetEventDestination(this, 'EventsToEventBridge', {
      configurationSetName: props.configurationSetName,
      eventDestination: {
        enabled: true,
        matchingEventTypes: SES_EVENT_TYPES,
        eventBridgeDestination: { eventBusArn: Arn.format({ service: 'events', resource: 'event-bus', resourceName: 'default' }, stack) },
      },
    });
    destination.node.addDependency(configurationSet);

    const common = { failureQueue: props.failureQueue, logRetention: props.logRetention };
    const environment = {
      [EnvVars.EventBus]: props.bus.bus.eventBusName,
      [EnvVars.DefaultTimezone]: props.defaultTimezone,
      [EnvVars.BrandName]: props.brandName,
      [EnvVars.BrandUrl]: props.brandUrl,
      [EnvVars.UnsubscribeSecretArn]: this.signingSecret.secretArn,
    };

    this.unsubscribe = new BaseFunction(this, 'Unsubscribe', {
      ...common,
      handler: 'unsubscribe',
      description: 'One-click unsubscribe and the email preference page',
      environment,
    });
    this.unsubscribeUrl = this.unsubscribe.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    props.profiles.grantRecord(this.unsubscribe);

    const schedulerRole = new Role(this, 'DeferralRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets one-time schedules put deferred send requests back on the outreach queue',
    });
    this.queue.grantSendMessages(schedulerRole);

    this.sender = new BaseFunction(this, 'Sender', {
      ...common,
      handler: 'send-outreach',
      description: 'Decides, renders and sends email through SES',
      timeout: senderTimeout,
      assets: [{ from: 'shared/outreach/templates', to: 'templates' }],
      environment: {
        ...environment,
        [EnvVars.OutreachQueueUrl]: this.queue.queueUrl,
        [EnvVars.OutreachQueueArn]: this.queue.queueArn,
        [EnvVars.OutreachDeadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
        [EnvVars.SchedulerRoleArn]: schedulerRole.roleArn,
        [EnvVars.SenderAddress]: props.senderAddress,
        [EnvVars.ConfigurationSet]: props.configurationSetName,
        [EnvVars.ConsentMode]: props.consentMode ?? 'opt-in',
        [EnvVars.QuietHours]: props.quietHours ?? '21:00-08:00',
        [EnvVars.FrequencyCap]: props.frequencyCap ?? '3/7',
        [EnvVars.MaxSendRate]: String(maxSendRate),
        [EnvVars.SenderConcurrency]: String(SENDER_CONCURRENCY),
        [EnvVars.MaxReceives]: String(MAX_RECEIVES),
        [EnvVars.UnsubscribeUrl]: this.unsubscribeUrl.url,
        [EnvVars.AdvertiserName]: props.advertiser.name,
        [EnvVars.AdvertiserContact]: props.advertiser.contact,
      },
    });
    const source = new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: SENDER_CONCURRENCY });
    this.sender.addEventSource(source);
    Validations.of(this.sender).acknowledge({
      id: 'Serverless::Serverless-LambdaEventSourceMappingDestination',
      reason:
        "SQS event source mappings take no on-failure destination: failed send requests go to the queue's own dead-letter queue (the sender puts them there with the reason on their last attempt, and the redrive policy is the safety net).",
    });
    this.deadLetterQueue.grantSendMessages(this.sender);
    // Query and BatchGetItem read recommendations (co-purchase pairs, product names) at send time.
    props.profiles.grant(this.sender, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:BatchGetItem',
    ]);
    const senderDomain = props.senderAddress.split('@')[1] ?? props.senderAddress;
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          Arn.format({ service: 'ses', resource: 'identity', resourceName: senderDomain }, stack),
          Arn.format({ service: 'ses', resource: 'identity', resourceName: props.senderAddress }, stack),
          Arn.format({ service: 'ses', resource: 'configuration-set', resourceName: props.configurationSetName }, stack),
        ],
      }),
    );
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule'],
        resources: [Arn.format({ service: 'scheduler', resource: 'schedule', resourceName: 'default/outreach-*' }, stack)],
      }),
    );
    schedulerRole.grantPassRole(this.sender.grantPrincipal);
    this.signingSecret.grantRead(this.sender);
    this.signingSecret.grantRead(this.unsubscribe);
    props.bus.bus.grantPutEventsTo(this.sender);
    props.bus.bus.grantPutEventsTo(this.unsubscribe);
    Validations.of(this.sender.role ?? this.sender).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/default/outreach-*]',
      reason:
        'The sender creates one-time schedules to defer marketing email past quiet hours; their names are generated per message, so only the outreach- prefix is fixed.',
    });

    this.feedback = new BaseFunction(this, 'Feedback', {
      ...common,
      handler: 'email-feedback',
      description: 'Applies SES feedback: suppression, engagement, email.* events',
      environment: { ...environment, [EnvVars.SoftBounceLimit]: String(props.softBounceLimit ?? 3) },
    });
    props.profiles.grant(this.feedback, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    props.bus.bus.grantPutEventsTo(this.feedback);
    new Rule(this, 'SesFeedbackRule', {
      eventBus: EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      description: 'SES events of the outreach configuration set, to the feedback function',
      eventPattern: { source: [SES_SOURCE], detailType: [...SesEventDetailTypes] },
      targets: [new LambdaFunction(this.feedback, { deadLetterQueue: props.bus.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
  }
}
