/**
 * The support workflow's own steps, after the event is recorded:
 *
 *   support.requested? ──yes──▶ Answer or escalate ──▶ Send support emails ──▶ Put support events ──▶ (stage change)
 *          └──no──────────────────────────────────────────────────────────────────────────────────▶ (stage change)
 *
 * The answer task replies from the knowledge base or escalates (shared/stages/support-answer.ts);
 * the reply and `support.resolved`, or the acknowledgement and `support.escalated`, follow.
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Choice, Condition, JitterType } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { DetailTypes } from '#shared/events/catalog.ts';
import { ErrorNames } from '#shared/errors.ts';
import { emitReactions, sendReactions, type ReactionTargets } from './reactions.ts';
import { RECORD_RESULT_PATH, type StageSteps } from './stage-workflow.ts';

const ANSWER_PATH = '$.answered';

export function supportSteps(answerFunction: IFunction, targets: ReactionTargets): StageSteps {
  return (scope, { next, failed }) => {
    const answer = new LambdaInvoke(scope, 'Answer or escalate', {
      lambdaFunction: answerFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: ANSWER_PATH,
    })
      .addRetry({ errors: [ErrorNames.InvalidEvent], maxAttempts: 0 })
      .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 4, backoffRate: 2, jitterStrategy: JitterType.FULL })
      .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
    answer
      .next(sendReactions(scope, 'Send support emails', ANSWER_PATH, targets, failed))
      .next(emitReactions(scope, 'Put support events', ANSWER_PATH, targets, failed))
      .next(next);
    // An erased customer's request (a replay from before the erasure) is neither answered nor escalated.
    const requested = Condition.and(
      Condition.stringEquals('$.detail-type', DetailTypes.SupportRequested),
      Condition.not(Condition.stringEquals(`${RECORD_RESULT_PATH}.status`, 'erased')),
    );
    return new Choice(scope, 'Support requested?').when(requested, answer).otherwise(next);
  };
}
