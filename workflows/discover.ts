/**
 * The discover stage's own steps: a lead captured with consent to email gets the welcome email,
 * through the outreach queue (which checks consent again, and sends each message key once).
 */
import { Duration } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Choice, Condition, JitterType, JsonPath, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { SqsSendMessage } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { DetailTypes } from '#shared/events/catalog.ts';
import { RECORD_RESULT_PATH, type StageSteps } from './stage-workflow.ts';

export function welcomeNewLeads(outreachQueue: IQueue): StageSteps {
  return (scope, { next, failed }) => {
    const customerId = JsonPath.stringAt(`${RECORD_RESULT_PATH}.customerId`);
    const queueWelcome = new SqsSendMessage(scope, 'Queue welcome email', {
      queue: outreachQueue,
      messageBody: TaskInput.fromObject({
        version: 1,
        messageKey: JsonPath.format('welcome:{}', customerId),
        customerId,
        template: 'welcome',
        kind: 'marketing',
        topic: 'newsletter',
        variables: {},
        origin: { workflow: 'discover' },
      }),
      resultPath: JsonPath.DISCARD,
    })
      .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2, jitterStrategy: JitterType.FULL })
      .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
    queueWelcome.next(next);

    // Two choices, not one: a Choice reading a field that is absent fails the execution.
    const consented = new Choice(scope, 'Consented to email?').when(Condition.booleanEquals('$.detail.data.consent.email', true), queueWelcome).otherwise(next);
    return new Choice(scope, 'New lead with consent?')
      .when(
        Condition.and(
          Condition.stringEquals("$['detail-type']", DetailTypes.LeadCaptured),
          Condition.stringEquals(`${RECORD_RESULT_PATH}.status`, 'recorded'),
          Condition.isPresent('$.detail.data.consent.email'),
        ),
        consented,
      )
      .otherwise(next);
  };
}
