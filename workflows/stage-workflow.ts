/**
 * The definition every stage workflow starts from (JSONPath only, so it runs in the local cloud):
 *
 *   Record event ──▶ Send notices ──▶ (the stage's own steps) ──▶ Stage changed? ──yes──▶ Announce stage change ──▶ Recorded
 *        │                                  └──no──────────────────────────────────────▶ Recorded
 *        ├─ InvalidEventError ──▶ Park rejected event ──▶ Rejected
 *        └─ any other error, after retries ──▶ Park failed event ──▶ Failed
 *
 * The input is the EventBridge event as the bus delivered it. The record task returns the notices
 * the event calls for at once (an order confirmation, a delay apology; see shared/stages/notices.ts)
 * and Send notices puts them on the outreach queue.
 */
import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Choice, Condition, Fail, JitterType, JsonPath, Succeed, TaskInput, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke, SqsSendMessage } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { DetailTypes, LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import { ErrorNames } from '#shared/errors.ts';
import { sendReactions } from './reactions.ts';

export interface StageWorkflowDefinitionProps {
  readonly recordFunction: IFunction;
  readonly eventBus: IEventBus;
  readonly outreachQueue: IQueue;
  /** Where rejected and failed events are parked, with the reason. */
  readonly deadLetterQueue: IQueue;
  /** The stage's own steps after recording; they continue with `next`, and catch into `failed`. */
  readonly afterRecord?: StageSteps;
}

/** A stage's own steps: `next` is the stage-change check, `failed` parks the event with the error. */
export type StageSteps = (scope: Construct, continuation: { readonly next: IChainable; readonly failed: IChainable }) => IChainable;

/** Errors that no retry can fix. */
const TERMINAL_ERRORS = [ErrorNames.InvalidEvent, ErrorNames.Configuration];

/** Where the record task puts its result in the state (`recorded`), and what it holds. */
export const RECORD_RESULT_PATH = '$.recorded';

export function defineStageWorkflow(scope: Construct, props: StageWorkflowDefinitionProps): IChainable {
  const park = (id: string) =>
    new SqsSendMessage(scope, id, {
      queue: props.deadLetterQueue,
      // The whole state: the event as delivered, plus `failure` with the error and its cause.
      messageBody: TaskInput.fromJsonPathAt('$'),
      resultPath: JsonPath.DISCARD,
    }).addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2, jitterStrategy: JitterType.FULL });

  const rejected = park('Park rejected event').next(new Succeed(scope, 'Rejected', { comment: 'The event broke the contract; it is parked with the reason.' }));
  const failed = park('Park failed event').next(
    new Fail(scope, 'Failed', { error: 'EventNotRecorded', cause: 'The event could not be recorded after retries; it is parked.' }),
  );

  const record = new LambdaInvoke(scope, 'Record event', {
    lambdaFunction: props.recordFunction,
    // The function receives the whole state (the event) and its result is the task's result.
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath: RECORD_RESULT_PATH,
  })
    .addRetry({ errors: TERMINAL_ERRORS, maxAttempts: 0 })
    .addRetry({ errors: [ErrorNames.ConcurrentUpdate], interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2, jitterStrategy: JitterType.FULL })
    .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 4, backoffRate: 2, jitterStrategy: JitterType.FULL })
    .addCatch(rejected, { errors: [ErrorNames.InvalidEvent], resultPath: '$.failure' })
    .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });

  const announce = new EventBridgePutEvents(scope, 'Announce stage change', {
    entries: [
      {
        eventBus: props.eventBus,
        source: LIFECYCLE_SOURCE,
        detailType: DetailTypes.CustomerStageChanged,
        detail: TaskInput.fromJsonPathAt(`${RECORD_RESULT_PATH}.stageChanged`),
      },
    ],
    resultPath: JsonPath.DISCARD,
  })
    .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2, jitterStrategy: JitterType.FULL })
    .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });

  const done = new Succeed(scope, 'Recorded');
  const stageChanged = new Choice(scope, 'Stage changed?')
    .when(Condition.booleanEquals(`${RECORD_RESULT_PATH}.announce`, true), announce.next(done))
    .otherwise(done);
  const notices = sendReactions(scope, 'Send notices', RECORD_RESULT_PATH, { outreachQueue: props.outreachQueue, eventBus: props.eventBus }, failed);
  return record.next(notices).next(props.afterRecord ? props.afterRecord(scope, { next: stageChanged, failed }) : stageChanged);
}
