import { RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { DetailType } from '#shared/events/catalog.ts';
import { defineStageWorkflow, type StageSteps } from '#workflows/stage-workflow.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';

export interface StageWorkflowProps {
  /** The stage (or `profile`) the workflow serves; used in names and descriptions. */
  readonly name: string;
  /** The event types routed to this workflow. */
  readonly detailTypes: readonly DetailType[];
  readonly bus: LifecycleBus;
  /** The function that validates and records an event. */
  readonly recordFunction: IFunction;
  /** Where the notices an event calls for are sent. */
  readonly outreachQueue: IQueue;
  readonly logRetention: RetentionDays;
  /** What each execution logs (never its data, which holds personal fields). @default LogLevel.ERROR */
  readonly logLevel?: LogLevel;
  /** This stage's own steps after an event is recorded. */
  readonly afterRecord?: StageSteps;
  /** The functions those steps invoke. */
  readonly stepFunctions?: readonly IFunction[];
}

/**
 * One stage's workflow: an Express state machine fed by a rule on the bus, that records each event
 * and announces stage changes. Logs failed executions (without their data, which holds personal
 * fields; the level is a setting), traces with X-Ray, and parks events it rejects or cannot record
 * in its own queue.
 */
export class StageWorkflow extends Construct {
  public readonly stateMachine: StateMachine;
  /** Rejected and failed events, each with the error that stopped it. */
  public readonly deadLetterQueue: DeadLetterQueue;
  public readonly rule: Rule;

  constructor(scope: Construct, id: string, props: StageWorkflowProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'ParkedEvents');
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.EXPRESS,
      comment: `Records ${props.name} events and moves customers between stages`,
      definitionBody: DefinitionBody.fromChainable(
        defineStageWorkflow(this, {
          recordFunction: props.recordFunction,
          eventBus: props.bus.bus,
          outreachQueue: props.outreachQueue,
          deadLetterQueue: this.deadLetterQueue,
          ...(props.afterRecord && { afterRecord: props.afterRecord }),
        }),
      ),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
        level: props.logLevel ?? LogLevel.ERROR,
        includeExecutionData: false,
      },
    });
    if ((props.logLevel ?? LogLevel.ERROR) !== LogLevel.ALL) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SF1',
        reason:
          'One Express execution runs per business event: logging every state of every event would cost more than the workflow (measured by npm run bench). Failures are logged; raise it with -c workflowLogLevel=ALL while investigating.',
      });
    }
    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'CloudWatch Logs delivery and X-Ray tracing actions support no resource-level permissions.',
      },
      ...[props.recordFunction, ...(props.stepFunctions ?? [])].map((fn) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: "Invoking the workflow's own function's versions and aliases, as the Step Functions Lambda integration grants; no other function.",
      })),
    );
    this.rule = props.bus.route(`${id}Route`, {
      detailTypes: props.detailTypes,
      description: `${props.name} events to the ${props.name} workflow`,
      target: (delivery) => new SfnStateMachine(this.stateMachine, delivery),
    });
  }
}
