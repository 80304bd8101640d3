/**
 * People's data rights in AWS: the function that forgets a customer, on the
 * `customer.erasure.requested` event (put on the bus by `lifecycle customer erase`, by the API's
 * `POST /customers/{id}/erasure`, or by any system that holds the request). The export reads the
 * table with the operator's own credentials (`lifecycle customer export`).
 */
import { Arn, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import { BaseFunction } from './base-function.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import { WAKE_SCHEDULES } from './journeys.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';
import type { ProfileStore } from './profile-store.ts';

export interface DataRightsProps {
  readonly bus: LifecycleBus;
  readonly profiles: ProfileStore;
  readonly failureQueue: DeadLetterQueue;
  readonly logRetention: RetentionDays;
}

export class DataRights extends Construct {
  public readonly eraser: BaseFunction;

  constructor(scope: Construct, id: string, props: DataRightsProps) {
    super(scope, id);
    this.eraser = new BaseFunction(this, 'Eraser', {
      handler: 'erase-customer',
      description: 'Forgets a customer: a tombstone, their runs stopped, every other item deleted, their address kept suppressed',
      failureQueue: props.failureQueue,
      logRetention: props.logRetention,
      // A customer with years of timeline is thousands of deletes, 25 a call.
      timeout: Duration.minutes(5),
      environment: { [EnvVars.EventBus]: props.bus.bus.eventBusName },
    });
    props.profiles.grant(this.eraser, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem']);
    props.bus.bus.grantPutEventsTo(this.eraser);
    // Stopping a run deletes its wake-up.
    this.eraser.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:DeleteSchedule'],
        resources: [Arn.format({ service: 'scheduler', resource: 'schedule', resourceName: WAKE_SCHEDULES }, Stack.of(this))],
      }),
    );
    Validations.of(this.eraser.role ?? this.eraser).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${WAKE_SCHEDULES}]`,
      reason: 'An erased customer’s runs wait in one-time schedules named per run (journey-<hash>); only the journey- prefix is fixed.',
    });
    new Rule(this, 'ErasureRequests', {
      eventBus: props.bus.bus,
      description: 'customer.erasure.requested to the eraser',
      eventPattern: { detailType: [DetailTypes.CustomerErasureRequested] },
      // A request must never be lost: retried for a day, then kept in the bus's dead-letter queue.
      targets: [new LambdaFunction(this.eraser, { deadLetterQueue: props.bus.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
  }
}
