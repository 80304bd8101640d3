import { createHash } from 'node:crypto';
import { Arn, Duration, Stack, Validations } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule, type IRule, type RuleTargetInputProperties } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import { eventsThatWake, type JourneyDefinition } from '#shared/journeys/definition.ts';
import { SUPPRESSION_EVENTS } from '#shared/journeys/suppression.ts';
import { SEGMENT_PK_PREFIX } from '#shared/profile/table-design.ts';
import type { Segment } from '#shared/segments/segment.ts';
import { BaseFunction } from './base-function.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { Journey } from './journey.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';
import type { ProfileStore } from './profile-store.ts';

export interface JourneysProps {
  readonly journeys: readonly JourneyDefinition[];
  /** The versions kept for participants still on them (workflows/journey-versions). */
  readonly versions: readonly JourneyDefinition[];
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

/** The one-time schedules the engine creates to wake participants: `journey-<hash>`. */
export const WAKE_SCHEDULES = 'default/journey-*';

/**
 * Marketing's journeys: the functions that start runs — the launcher (the `journey.launch.requested`
 * event and segment schedules), the trigger gate (journeys' trigger events) and the API
 * (`POST /journeys/{name}/launches` on its IAM-authorised URL) — and the engine, which moves
 * participants on when their one-time schedule fires or an event they wait for arrives. A waiting
 * participant is an item and a schedule: it costs nothing until it wakes.
 */
export class Journeys extends Construct {
  public readonly runtime: BaseFunction;
  /** Launch requests: the event and segment schedules. */
  public readonly launcher: BaseFunction;
  /** Journeys' trigger events: starts a run for a customer who may enter. */
  public readonly triggerGate: BaseFunction;
  /** The signed HTTP API (`launchUrl`): launches and erasure requests. */
  public readonly api: BaseFunction;
  /** Counts scheduled segments' members. */
  public readonly segmentEvaluator: BaseFunction;
  public readonly launchUrl: FunctionUrl;
  public readonly journeys: ReadonlyMap<string, Journey>;

  constructor(scope: Construct, id: string, props: JourneysProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Two definitions of one name would be two sets of runs and metrics for one journey.
    const names = props.journeys.map((journey) => journey.name);
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    if (twice.length > 0) throw new Error(`Journeys: each journey is built once; given twice: ${[...new Set(twice)].join(', ')}`);
    const common = { failureQueue: props.failureQueue, logRetention: props.logRetention };
    const schedulerRole = new Role(this, 'WakeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets one-time schedules wake journey participants',
    });
    const settings = {
      [EnvVars.ConsentMode]: props.consentMode,
      [EnvVars.DefaultTimezone]: props.defaultTimezone,
      [EnvVars.TimelineRetentionDays]: String(props.timelineRetentionDays),
      [EnvVars.OutreachQueueUrl]: props.outreachQueue.queueUrl,
      [EnvVars.EventBus]: props.bus.bus.eventBusName,
      [EnvVars.SchedulerRoleArn]: schedulerRole.roleArn,
    };
    // Every version a participant may be on travels with the code: each finishes on the one it entered.
    const journeys = { journeys: props.journeys, versions: props.versions };

    this.runtime = new BaseFunction(this, 'Runtime', {
      ...common,
      handler: 'journey-runtime',
      description: 'The journey engine: moves participants on when they wake',
      environment: settings,
      define: { __LIFECYCLE_JOURNEYS__: JSON.stringify(JSON.stringify(journeys)) },
    });
    // The schedules name the function itself (not a version or alias).
    schedulerRole.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.runtime.functionArn] }));

    // Three functions start runs, one per kind of input: launch requests (the event and segment
    // schedules), journeys' trigger events (the gate), and the signed HTTP API. Each carries the
    // definitions as reviewed, compiled into its bundle, and has the same rights: moving participants.
    const starter = (id: string, handler: string, description: string, timeout: Duration) =>
      new BaseFunction(this, id, {
        ...common,
        handler,
        description,
        timeout,
        // Waiting on its calls, mostly: more memory would buy CPU it does not use.
        environment: { ...settings, [EnvVars.JourneyEngineArn]: this.runtime.functionArn },
        define: { __LIFECYCLE_DEFINITIONS__: JSON.stringify(JSON.stringify({ ...journeys, segments: props.segments })) },
      });
    this.launcher = starter(
      'Launcher',
      'journey-launcher',
      'Launches journeys on segments and lists: launch requests and segment schedules',
      Duration.minutes(15),
    );
    this.triggerGate = starter('TriggerGate', 'journey-trigger', 'Starts event-triggered journeys for the customers who may enter them', Duration.minutes(1));
    this.api = starter('Api', 'api', 'The signed HTTP API: journey launches and erasure requests', Duration.minutes(15));

    // All move participants: entering and updating profiles records events; membership, progress and metrics are updates.
    for (const engine of [this.runtime, this.launcher, this.triggerGate, this.api]) {
      props.profiles.grant(engine, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem']);
      props.outreachQueue.grantSendMessages(engine);
      props.bus.bus.grantPutEventsTo(engine);
      engine.addToRolePolicy(
        new PolicyStatement({
          actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
          resources: [Arn.format({ service: 'scheduler', resource: 'schedule', resourceName: WAKE_SCHEDULES }, stack)],
        }),
      );
      schedulerRole.grantPassRole(engine.grantPrincipal);
      Validations.of(engine.role ?? engine).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${WAKE_SCHEDULES}]`,
        reason: 'Participants wait in one-time schedules named per run and move (journey-<hash>); only the journey- prefix is fixed.',
      });
    }
    for (const starts of [this.launcher, this.triggerGate, this.api]) props.profiles.grantProfileReads(starts);
    this.launchUrl = this.api.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    new Rule(this, 'LaunchRequests', {
      eventBus: props.bus.bus,
      description: 'journey.launch.requested to the launcher',
      eventPattern: { detailType: [DetailTypes.JourneyLaunchRequested] },
      targets: [new LambdaFunction(this.launcher, { deadLetterQueue: props.bus.deadLetterQueue, retryAttempts: 4, maxEventAge: Duration.hours(6) })],
    });

    // The events journeys wait for or exit on wake their participants in the delivery that records them.
    // Suppressions too: a suppressed customer's runs stop.
    const wakeEvents = [...new Set([...props.journeys.flatMap(eventsThatWake), ...SUPPRESSION_EVENTS])].sort();
    new Rule(this, 'WakeEvents', {
      eventBus: props.bus.bus,
      description: 'Events journeys wait for or exit on, and suppressions, to the journey engine',
      eventPattern: { detailType: wakeEvents },
      targets: [
        new LambdaFunction(this.runtime, {
          event: new WholeEventInput('event'),
          deadLetterQueue: props.bus.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    // Scheduled segments are evaluated on their schedule, those due at one time in one read of the
    // store, by a function of their own: reading and judging every profile is work for a CPU
    // (a vCPU's share grows with memory), where the launcher mostly waits on its calls.
    this.segmentEvaluator = new BaseFunction(this, 'SegmentEvaluator', {
      ...common,
      handler: 'evaluate-segments',
      description: 'Counts the members of the segments due on a schedule, in one read of the store',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: { [EnvVars.ConsentMode]: props.consentMode },
      define: { __LIFECYCLE_SEGMENTS__: JSON.stringify(JSON.stringify(props.segments)) },
    });
    props.profiles.grantProfileReads(this.segmentEvaluator);
    props.profiles.grantOnItems(this.segmentEvaluator, ['dynamodb:PutItem'], [SEGMENT_PK_PREFIX]);
    const bySchedule = new Map<string, string[]>();
    for (const segment of props.segments) if (segment.schedule) bySchedule.set(segment.schedule, [...(bySchedule.get(segment.schedule) ?? []), segment.name]);
    for (const [schedule, segments] of bySchedule) {
      // Named by the schedule, which does not change when a segment joins or leaves it.
      new Rule(this, `EvaluateSegments-${createHash('sha256').update(schedule).digest('hex').slice(0, 8)}`, {
        description: `Evaluates segments ${segments.join(', ')}`.slice(0, 512),
        schedule: Schedule.expression(schedule),
        targets: [
          new LambdaFunction(this.segmentEvaluator, {
            event: RuleTargetInput.fromObject({ evaluate: { segments, at: EventField.time } }),
            deadLetterQueue: props.bus.deadLetterQueue,
            retryAttempts: 4,
            maxEventAge: Duration.hours(6),
          }),
        ],
      });
    }

    const byName = new Map<string, Journey>();
    for (const definition of props.journeys) {
      const segment =
        'segment' in definition.trigger
          ? props.segments.find((each) => 'segment' in definition.trigger && each.name === definition.trigger.segment)
          : undefined;
      byName.set(
        definition.name,
        new Journey(this, `Journey-${definition.name}`, {
          definition,
          ...(segment?.schedule && { segmentSchedule: segment.schedule }),
          bus: props.bus,
          launcher: this.launcher,
          triggerGate: this.triggerGate,
        }),
      );
    }
    this.journeys = byName;
  }
}

/** `{ "<key>": <the event> }`: the whole event under one key. */
class WholeEventInput extends RuleTargetInput {
  constructor(private readonly key: string) {
    super();
  }

  public bind(_rule: IRule): RuleTargetInputProperties {
    return { inputTemplate: `{${JSON.stringify(this.key)}:<aws.events.event>}` };
  }
}
