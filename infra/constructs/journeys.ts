import { Duration, Stack } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { JOURNEY_PK_PREFIX, SEGMENT_PK_PREFIX } from '#shared/profile/table-design.ts';
import type { Segment } from '#shared/segments/segment.ts';
import { BaseFunction } from './base-function.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { Journey } from './journey.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';
import type { ProfileStore } from './profile-store.ts';

export interface JourneysProps {
  readonly journeys: readonly JourneyDefinition[];
  readonly segments: readonly Segment[];
  readonly bus: LifecycleBus;
  readonly profiles: ProfileStore;
  readonly outreachQueue: IQueue;
  readonly failureQueue: DeadLetterQueue;
  readonly logRetention: RetentionDays;
  readonly consentMode: 'opt-in' | 'opt-out';
  readonly defaultTimezone: string;
  readonly timelineRetentionDays: number;
}

/**
 * Marketing's journeys: the runtime their state machines call, one state machine per journey,
 * and the launcher — started by the `journey.launch.requested` event, by `POST
 * /journeys/{name}/launches` on its IAM-authorised URL, and by segment schedules.
 */
export class Journeys extends Construct {
  public readonly runtime: BaseFunction;
  public readonly launcher: BaseFunction;
  public readonly launchUrl: FunctionUrl;
  public readonly journeys: ReadonlyMap<string, Journey>;

  constructor(scope: Construct, id: string, props: JourneysProps) {
    super(scope, id);
    // Two definitions of one name would be two state machines for one journey's runs and metrics.
    const names = props.journeys.map((journey) => journey.name);
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    if (twice.length > 0) throw new Error(`Journeys: each journey is built once; given twice: ${[...new Set(twice)].join(', ')}`);
    const common = { failureQueue: props.failureQueue, logRetention: props.logRetention };
    const settings = {
      [EnvVars.ConsentMode]: props.consentMode,
      [EnvVars.DefaultTimezone]: props.defaultTimezone,
      [EnvVars.TimelineRetentionDays]: String(props.timelineRetentionDays),
    };

    this.runtime = new BaseFunction(this, 'Runtime', { ...common, handler: 'journey-runtime', description: 'The steps of journeys between their waits', environment: settings });
    // Entering and updating profiles records events; membership and metrics are updates.
    props.profiles.grant(this.runtime, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem']);

    this.launcher = new BaseFunction(this, 'Launcher', {
      ...common,
      handler: 'journey-launcher',
      description: 'Starts a journey for the customers of a segment or a list',
      timeout: Duration.minutes(15),
      memorySize: 512,
      environment: settings,
      // The definitions go into the bundle: launches need the segments and journeys as reviewed.
      define: { __LIFECYCLE_DEFINITIONS__: JSON.stringify(JSON.stringify({ journeys: props.journeys, segments: props.segments })) },
    });
    props.profiles.grant(this.launcher, ['dynamodb:GetItem', 'dynamodb:Query']);
    props.profiles.grantProfileReads(this.launcher);
    this.launchUrl = this.launcher.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    new Rule(this, 'LaunchRequests', {
      eventBus: props.bus.bus,
      description: 'journey.launch.requested to the launcher',
      eventPattern: { detailType: [DetailTypes.JourneyLaunchRequested] },
      targets: [new LambdaFunction(this.launcher, { deadLetterQueue: props.bus.deadLetterQueue, retryAttempts: 4, maxEventAge: Duration.hours(6) })],
    });

    // Scheduled segments are evaluated on their schedule; the launcher keeps each one's count.
    props.profiles.grantOnItems(this.launcher, ['dynamodb:PutItem'], [SEGMENT_PK_PREFIX]);
    // The trigger gate counts the entries it refuses in the journeys' metrics items.
    props.profiles.grantOnItems(this.launcher, ['dynamodb:UpdateItem'], [JOURNEY_PK_PREFIX]);
    for (const segment of props.segments.filter((each) => each.schedule)) {
      new Rule(this, `Evaluate-${segment.name}`, {
        description: `Evaluates segment ${segment.name}`,
        schedule: Schedule.expression(segment.schedule ?? ''),
        targets: [
          new LambdaFunction(this.launcher, {
            event: RuleTargetInput.fromObject({ evaluate: { segment: segment.name, at: EventField.time } }),
            deadLetterQueue: props.bus.deadLetterQueue,
            retryAttempts: 4,
            maxEventAge: Duration.hours(6),
          }),
        ],
      });
    }

    const journeys = new Map<string, Journey>();
    for (const definition of props.journeys) {
      const segment = 'segment' in definition.trigger ? props.segments.find((each) => 'segment' in definition.trigger && each.name === definition.trigger.segment) : undefined;
      const journey = new Journey(this, `Journey-${definition.name}`, {
        definition,
        ...(segment?.schedule && { segmentSchedule: segment.schedule }),
        bus: props.bus,
        runtime: this.runtime,
        launcher: this.launcher,
        outreachQueue: props.outreachQueue,
        logRetention: props.logRetention,
      });
      journey.stateMachine.grantStartExecution(this.launcher);
      this.launcher.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [journey.aliasArn] }));
      props.bus.bus.grantPutEventsTo(journey.stateMachine);
      journeys.set(definition.name, journey);
    }
    this.journeys = journeys;
    this.launcher.addEnvironment(EnvVars.JourneyMachines, Stack.of(this).toJsonString(Object.fromEntries([...journeys].map(([name, journey]) => [name, journey.aliasArn]))));
  }
}
