import { Duration, Stack } from 'aws-cdk-lib';
import { EventBus, Match, Rule, type Archive, type IRuleTarget } from 'aws-cdk-lib/aws-events';
import { SqsQueue, type TargetBaseProps } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { DETAIL_TYPES, detailTypesOf, LIFECYCLE_SOURCE, type DetailType } from '#shared/events/catalog.ts';
import { JOURNEY_EVENT_SOURCE } from '#shared/journeys/engine.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface LifecycleBusProps {
  readonly busName: string;
  /** How long the archive keeps events for replay. @default Duration.days(365) */
  readonly archiveRetention?: Duration;
  /** Delivery attempts per target before an event goes to the dead-letter queue. @default 8 */
  readonly retryAttempts?: number;
  /** How long EventBridge keeps trying to deliver an event. @default Duration.hours(24) */
  readonly maxEventAge?: Duration;
}

export interface RouteProps {
  readonly detailTypes: readonly DetailType[];
  readonly description: string;
  /** Builds the target from the delivery settings every route shares (retries, dead-letter queue). */
  readonly target: (delivery: TargetBaseProps) => IRuleTarget;
}

/**
 * The custom event bus business systems put events on, with an archive of every event for replay
 * and one dead-letter queue for deliveries that fail after their retries.
 */
export class LifecycleBus extends Construct {
  public readonly bus: EventBus;
  public readonly archive: Archive;
  /** Events no target could accept, with the error EventBridge met. */
  public readonly deadLetterQueue: DeadLetterQueue;
  /** Events no rule takes: an unknown detail-type, or a system event from another source. */
  public readonly unroutedQueue: DeadLetterQueue;
  private readonly delivery: TargetBaseProps;

  constructor(scope: Construct, id: string, props: LifecycleBusProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 8;
    if (retryAttempts < 0 || retryAttempts > 185) throw new Error(`retryAttempts must be 0-185, got ${retryAttempts}`);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeliveryDeadLetters');
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.busName, deadLetterQueue: this.deadLetterQueue });
    this.archive = this.bus.archive('Archive', {
      description: `Every event on ${props.busName}, for replay`,
      eventPattern: { account: [Stack.of(this).account] },
      retention: props.archiveRetention ?? Duration.days(365),
    });
    this.delivery = {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts,
      maxEventAge: props.maxEventAge ?? Duration.hours(24),
    };

    // EventBridge drops an event that matches no rule without a trace. These two keep what would
    // otherwise vanish, so that a sender's mistake is counted, alarmed on and can be replayed fixed.
    this.unroutedQueue = new DeadLetterQueue(this, 'UnroutedEvents');
    const keep = new SqsQueue(this.unroutedQueue, this.delivery);
    // A custom bus gets no AWS service events (those go to the default bus), and what journeys'
    // emit steps put on it for other systems (Source lifecycle.journeys, journey.* types) is no mistake.
    new Rule(this, 'UnknownDetailTypes', {
      eventBus: this.bus,
      description: 'Keeps events of a detail-type nobody handles (what journeys emit for others aside)',
      eventPattern: { source: Match.anythingBut(JOURNEY_EVENT_SOURCE), detailType: Match.anythingBut(...DETAIL_TYPES) },
      targets: [keep],
    });
    new Rule(this, 'ForgedSystemEvents', {
      eventBus: this.bus,
      description: `Keeps system events put by anyone but the system (Source ${LIFECYCLE_SOURCE})`,
      eventPattern: { source: Match.anythingBut(LIFECYCLE_SOURCE), detailType: detailTypesOf('system') },
      targets: [keep],
    });
  }

  /** Routes the given detail-types to a target with the bus's retry policy and dead-letter queue. */
  public route(id: string, props: RouteProps): Rule {
    if (props.detailTypes.length === 0) throw new Error(`route ${id} needs at least one detail-type`);
    const rule = new Rule(this, id, {
      eventBus: this.bus,
      description: props.description,
      eventPattern: { detailType: [...props.detailTypes] },
    });
    rule.addTarget(props.target(this.delivery));
    return rule;
  }
}
