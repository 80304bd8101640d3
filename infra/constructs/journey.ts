import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule, type IRule, type RuleTargetInputProperties } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  CfnStateMachineAlias,
  CfnStateMachineVersion,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { triggerEvents, type JourneyDefinition } from '#shared/journeys/definition.ts';
import { compileJourney } from '#workflows/compile-journey.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';

export interface JourneyProps {
  readonly definition: JourneyDefinition;
  /** The schedule of the journey's segment: launches follow it when the trigger names none. */
  readonly segmentSchedule?: string;
  readonly bus: LifecycleBus;
  readonly runtime: IFunction;
  readonly launcher: IFunction;
  readonly outreachQueue: IQueue;
  readonly logRetention: RetentionDays;
  /** What each execution logs (never its data, which holds personal fields). @default LogLevel.ALL */
  readonly logLevel?: LogLevel;
}

/** `{ "trigger": { "journey": <name>, "event": <the event> } }`: what the launcher's trigger gate takes. */
class TriggerInput extends RuleTargetInput {
  constructor(private readonly journey: string) {
    super();
  }

  public bind(_rule: IRule): RuleTargetInputProperties {
    // <aws.events.event> is EventBridge's predefined variable for the whole event, as JSON.
    return { inputTemplate: `{"trigger":{"journey":${JSON.stringify(this.journey)},"event":<aws.events.event>}}` };
  }
}

/**
 * One journey: its Standard state machine, published as a version per journey version behind a
 * `live` alias (running executions finish on the version they started), and its trigger — a rule
 * that sends an event to the launcher's trigger gate, a schedule that launches it on its segment,
 * or nothing for manual launches.
 */
export class Journey extends Construct {
  public readonly stateMachine: StateMachine;
  /** The `live` alias: what triggers and launches start. */
  public readonly aliasArn: string;

  constructor(scope: Construct, id: string, props: JourneyProps) {
    super(scope, id);
    const { definition } = props;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: `Journey ${definition.name} v${definition.version}: ${definition.description}`.slice(0, 250),
      definitionBody: DefinitionBody.fromChainable(compileJourney(this, definition, { runtime: props.runtime, outreachQueue: props.outreachQueue, bus: props.bus.bus })),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
        level: props.logLevel ?? LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    const version = new CfnStateMachineVersion(this, 'Version', {
      stateMachineArn: this.stateMachine.stateMachineArn,
      stateMachineRevisionId: this.stateMachine.stateMachineRevisionId,
      description: `${definition.name} v${definition.version}`,
    });
    // An edit publishes a new version (the revision changes, so CloudFormation replaces this
    // resource); retaining the old one lets the runs that started on it finish on it.
    version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const alias = new CfnStateMachineAlias(this, 'Live', {
      name: 'live',
      description: `The version of ${definition.name} that new runs start on`,
      routingConfiguration: [{ stateMachineVersionArn: version.attrArn, weight: 100 }],
    });
    this.aliasArn = alias.attrArn;

    if ((props.logLevel ?? LogLevel.ALL) !== LogLevel.ALL) {
      Validations.of(this.stateMachine).acknowledge({ id: 'AwsSolutions::AwsSolutions-SF1', reason: 'The journey log level is lowered on purpose by -c journeyLogLevel, to save what logging every step costs.' });
    }
    const runtimeId = Stack.of(this).getLogicalId(props.runtime.node.defaultChild as CfnElement);
    Validations.of(this.stateMachine.role).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'CloudWatch Logs delivery and X-Ray tracing actions support no resource-level permissions.' },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${runtimeId}.Arn>:*]`, reason: "Invoking the journey runtime function's versions and aliases, as the Step Functions Lambda integration grants; no other function." },
    );

    const { trigger } = definition;
    if ('event' in trigger) {
      // Through the launcher's gate, which starts a run only for a customer who may enter.
      new Rule(this, 'Trigger', {
        eventBus: props.bus.bus,
        description: `${triggerEvents(trigger).join(' or ')} starts journey ${definition.name}`,
        eventPattern: { detailType: triggerEvents(trigger), ...(trigger.filter && { detail: { data: trigger.filter } }) },
        targets: [
          new LambdaFunction(props.launcher, {
            event: new TriggerInput(definition.name),
            deadLetterQueue: props.bus.deadLetterQueue,
            retryAttempts: 8,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
    }
    const schedule = 'segment' in trigger ? (trigger.schedule ?? props.segmentSchedule) : undefined;
    if ('segment' in trigger && schedule) {
      new Rule(this, 'Schedule', {
        description: `Launches journey ${definition.name} on segment ${trigger.segment}`,
        schedule: Schedule.expression(schedule),
        targets: [
          new LambdaFunction(props.launcher, {
            event: RuleTargetInput.fromObject({ scheduled: { journey: definition.name, segment: trigger.segment, at: EventField.time } }),
            deadLetterQueue: props.bus.deadLetterQueue,
            retryAttempts: 4,
            maxEventAge: Duration.hours(6),
          }),
        ],
      });
    }
  }
}

