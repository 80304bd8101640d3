import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule, type IRule, type RuleTargetInputProperties } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { triggerEvents, type JourneyDefinition } from '#shared/journeys/definition.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';

export interface JourneyProps {
  readonly definition: JourneyDefinition;
  /** The schedule of the journey's segment: launches follow it when the trigger names none. */
  readonly segmentSchedule?: string;
  readonly bus: LifecycleBus;
  /** Admits triggers and launches, and starts the runs. */
  /** Takes launch requests: a segment journey's schedule goes here. */
  readonly launcher: IFunction;
  /** Admits trigger events: an event-triggered journey's rule goes here. */
  readonly triggerGate: IFunction;
}

/** `{ "trigger": { "journey": <name>, "event": <the event> } }`: what the trigger gate takes. */
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
 * One journey's way in: a rule that sends its trigger events to the trigger gate, a
 * schedule that launches it on its segment, or nothing for manual launches. Its steps run in the
 * journey engine (see Journeys).
 */
export class Journey extends Construct {
  constructor(scope: Construct, id: string, props: JourneyProps) {
    super(scope, id);
    const { definition } = props;
    const { trigger } = definition;
    if ('event' in trigger) {
      // Through the trigger gate, which starts a run only for a customer who may enter.
      new Rule(this, 'Trigger', {
        eventBus: props.bus.bus,
        description: `${triggerEvents(trigger).join(' or ')} starts journey ${definition.name}`,
        eventPattern: { detailType: triggerEvents(trigger), ...(trigger.filter && { detail: { data: trigger.filter } }) },
        targets: [
          new LambdaFunction(props.triggerGate, {
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
