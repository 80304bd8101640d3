import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Rule } from 'aws-cdk-lib/aws-events';
import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { detailTypesOf } from '#shared/events/catalog.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { loadKnowledgeBase } from '#shared/support/knowledge-base.ts';
import { prepareKnowledge, SUPPORT_KNOWLEDGE_FILE } from '#shared/support/prepared-knowledge.ts';
import { loadSynonyms } from '#shared/support/synonyms.ts';
import { supportSteps } from '#workflows/support-steps.ts';
import type { LifecycleConfig } from './config.ts';
import { BaseFunction } from './constructs/base-function.ts';
import { ConsentNotices } from './constructs/consent-notices.ts';
import { Console } from './constructs/console.ts';
import { DataRights } from './constructs/data-rights.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import { EventSchemas } from './constructs/event-schemas.ts';
import { Insights } from './constructs/insights.ts';
import { LifecycleBus } from './constructs/lifecycle-bus.ts';
import { ProfileStore } from './constructs/profile-store.ts';
import type { Definitions } from './definitions.ts';
import { Journeys } from './constructs/journeys.ts';
import { Operations } from './constructs/operations.ts';
import { Outreach } from './constructs/outreach.ts';
import { StageWorkflow } from './constructs/stage-workflow.ts';

export interface LifecycleStackProps extends StackProps {
  readonly config: LifecycleConfig;
  /** The journeys and segments marketing wrote (workflows/journeys, workflows/segments). */
  readonly definitions: Definitions;
}

/** Names of the stack outputs the CLI and the local cloud read. */
export const Outputs = {
  EventBusName: 'EventBusName',
  ProfileTableName: 'ProfileTableName',
  OutreachQueueUrl: 'OutreachQueueUrl',
  UnsubscribeUrl: 'UnsubscribeUrl',
  LaunchUrl: 'LaunchUrl',
  ConsentMode: 'ConsentMode',
  DeadLetterQueues: 'DeadLetterQueues',
  ConsoleUrl: 'ConsoleUrl',
} as const;

/**
 * The customer-lifecycle system: the bus, the profile store, the event catalog's schemas, and one
 * workflow per stage (plus one for profile and consent events) that records events and moves
 * customers between stages.
 */
export class LifecycleStack extends Stack {
  public readonly bus: LifecycleBus;
  public readonly profiles: ProfileStore;
  public readonly workflows: ReadonlyMap<string, StageWorkflow>;
  public readonly outreach: Outreach;
  public readonly journeys: Journeys;
  public readonly operations: Operations;
  public readonly console: Console;

  constructor(scope: Construct, id: string, props: LifecycleStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    this.bus = new LifecycleBus(this, 'Events', {
      busName: config.busName,
      archiveRetention: Duration.days(config.archiveRetentionDays),
    });
    this.profiles = new ProfileStore(this, 'Profiles', { tableName: config.tableName });
    new EventSchemas(this, 'Catalog', { registryName: `${config.busName}-catalog` });

    const functionFailures = new DeadLetterQueue(this, 'FunctionFailures');
    const recordFunction = new BaseFunction(this, 'RecordEvent', {
      handler: 'record-event',
      description: 'Validates an event and records it on the customer profile',
      failureQueue: functionFailures,
      logRetention,
      environment: {
        [EnvVars.TimelineRetentionDays]: String(config.timelineRetentionDays),
        [EnvVars.DefaultTimezone]: config.defaultTimezone,
        [EnvVars.Environment]: config.environment,
        [EnvVars.BrandUrl]: config.brandUrl,
      },
    });
    this.profiles.grantRecord(recordFunction);

    this.outreach = new Outreach(this, 'Outreach', {
      bus: this.bus,
      profiles: this.profiles,
      failureQueue: functionFailures,
      logRetention,
      senderAddress: config.senderAddress,
      configurationSetName: config.configurationSetName,
      consentMode: config.consentMode,
      quietHours: config.quietHours,
      frequencyCap: config.frequencyCap,
      maxSendRate: config.maxSendRate,
      softBounceLimit: config.softBounceLimit,
      brandName: config.brandName,
      brandUrl: config.brandUrl,
      advertiser: config.advertiser,
      defaultTimezone: config.defaultTimezone,
    });

    const consentNotices = new ConsentNotices(this, 'ConsentNotices', {
      bus: this.bus,
      profiles: this.profiles,
      outreachQueue: this.outreach.queue,
      failureQueue: functionFailures,
      logRetention,
    });

    const insights = new Insights(this, 'Insights', { bus: this.bus, profiles: this.profiles, failureQueue: functionFailures, logRetention });

    const answerSupport = new BaseFunction(this, 'AnswerSupport', {
      handler: 'answer-support',
      description: 'Answers a support request from the knowledge base, or escalates it',
      failureQueue: functionFailures,
      logRetention,
      memorySize: 512,
      // The knowledge base travels with the code, checked and indexed here, so that a cold start
      // only loads the index (a synthesis with a broken knowledge base stops, naming the problem).
      files: { [SUPPORT_KNOWLEDGE_FILE]: JSON.stringify(prepareKnowledge(loadKnowledgeBase(), loadSynonyms())) },
    });
    this.profiles.grant(answerSupport, ['dynamodb:GetItem']);
    const reactionTargets = { outreachQueue: this.outreach.queue, eventBus: this.bus.bus };

    const workflows = new Map<string, StageWorkflow>();
    for (const name of [...STAGES, 'profile'] as const) {
      workflows.set(
        name,
        new StageWorkflow(this, `${name[0]?.toUpperCase()}${name.slice(1)}Workflow`, {
          name,
          detailTypes: detailTypesOf(name),
          bus: this.bus,
          recordFunction,
          outreachQueue: this.outreach.queue,
          logRetention,
          logLevel: config.workflowLogLevel as LogLevel,
          ...(name === 'support' && { afterRecord: supportSteps(answerSupport, reactionTargets), stepFunctions: [answerSupport] }),
        }),
      );
    }
    this.workflows = workflows;

    this.journeys = new Journeys(this, 'Journeys', {
      journeys: props.definitions.journeys,
      versions: props.definitions.versions,
      segments: props.definitions.segments,
      bus: this.bus,
      profiles: this.profiles,
      outreachQueue: this.outreach.queue,
      failureQueue: functionFailures,
      logRetention,
      consentMode: config.consentMode,
      defaultTimezone: config.defaultTimezone,
      timelineRetentionDays: config.timelineRetentionDays,
    });

    const dataRights = new DataRights(this, 'DataRights', { bus: this.bus, profiles: this.profiles, failureQueue: functionFailures, logRetention });

    new CfnOutput(this, Outputs.EventBusName, { value: this.bus.bus.eventBusName });
    new CfnOutput(this, Outputs.ProfileTableName, { value: this.profiles.table.tableName });
    new CfnOutput(this, Outputs.OutreachQueueUrl, { value: this.outreach.queue.queueUrl });
    new CfnOutput(this, Outputs.UnsubscribeUrl, { value: this.outreach.unsubscribeUrl.url });
    new CfnOutput(this, Outputs.LaunchUrl, { value: this.journeys.launchUrl.url, description: 'POST /journeys/{name}/launches (SigV4-signed)' });
    // One list of dead-letter queues for the output the CLI redrives from and for the alarms, so
    // that no queue can be in one and missing from the other.
    const deadLetterQueues: Record<string, IQueue> = {
      'event-delivery': this.bus.deadLetterQueue,
      'function-failures': functionFailures,
      outreach: this.outreach.deadLetterQueue,
      'unrouted-events': this.bus.unroutedQueue,
      ...Object.fromEntries([...workflows].map(([name, workflow]) => [`${name}-workflow`, workflow.deadLetterQueue])),
    };
    this.operations = new Operations(this, 'Operations', {
      bus: this.bus,
      stageWorkflows: workflows,
      journeyEngine: this.journeys.runtime,
      journeyStarters: [this.journeys.launcher, this.journeys.triggerGate, this.journeys.api],
      deadLetterQueues,
      recordFunction,
      sender: this.outreach.sender,
      outreachQueue: this.outreach.queue,
      ...(config.alarmEmail && { alarmEmail: config.alarmEmail }),
    });
    new CfnOutput(this, Outputs.DeadLetterQueues, {
      value: this.toJsonString(Object.fromEntries(Object.entries(deadLetterQueues).map(([name, queue]) => [name, queue.queueUrl]))),
      description: 'Dead-letter queue name to URL: lifecycle dlq list and redrive read them',
    });
    new CfnOutput(this, Outputs.ConsentMode, {
      value: config.consentMode,
      description: 'Whether marketing email needs an opt-in; segments and dry runs evaluate consent by it',
    });

    // The console works from the outputs the CLI reads with --stack, so both act the same way.
    const consoleOutputs = [
      Outputs.EventBusName,
      Outputs.ProfileTableName,
      Outputs.OutreachQueueUrl,
      Outputs.LaunchUrl,
      Outputs.DeadLetterQueues,
      Outputs.ConsentMode,
    ];
    const journeys = this.journeys;
    this.console = new Console(this, 'Console', {
      domainPrefix: `${config.busName}-${this.account}`,
      stackOutputs: Object.fromEntries(consoleOutputs.map((key) => [key, String((this.node.findChild(key) as CfnOutput).value)])),
      definitions: { journeys: props.definitions.journeys, versions: props.definitions.versions, segments: props.definitions.segments },
      profiles: this.profiles,
      launchUrl: journeys.launchUrl,
      redrive: {
        deadLetterQueues: Object.values(deadLetterQueues),
        bus: this.bus.bus,
        rules: this.node.findAll().filter((child): child is Rule => child instanceof Rule),
        outreachQueue: this.outreach.queue,
        // Every function and state machine a rule delivers to: a dead letter goes back to its target.
        functions: [
          journeys.launcher,
          journeys.triggerGate,
          journeys.runtime,
          journeys.segmentEvaluator,
          dataRights.eraser,
          consentNotices.sender,
          insights.learnProducts,
          insights.scoreCustomers,
          this.outreach.feedback,
        ],
        stateMachines: [...workflows.values()].map((workflow) => workflow.stateMachine),
      },
      failureQueue: functionFailures,
      logRetention,
    });
    new CfnOutput(this, Outputs.ConsoleUrl, {
      value: this.console.url,
      description: 'The console: sign in with a user of the marketing or operators group',
    });
  }
}
