import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { BaseFunction } from './base-function.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';
import type { ProfileStore } from './profile-store.ts';

export interface ConsentNoticesProps {
  readonly bus: LifecycleBus;
  readonly profiles: ProfileStore;
  /** The outreach queue the notices go through, like every email. */
  readonly outreachQueue: IQueue;
  readonly failureQueue: IQueue;
  readonly logRetention: RetentionDays;
  /** @default cron(0 1 * * ? *): 01:00 UTC daily, 10:00 in Seoul */
  readonly schedule?: Schedule;
}

/**
 * The consent-status notice every two years from a customer's consent (정보통신망법 Article 50(8)):
 * a daily scheduled rule runs a function that queries the notice index for the customers due
 * today, puts their notices on the outreach queue and records them. A scheduled query, not a
 * schedule per customer: it costs one run a day whatever the number of customers, where one-time
 * schedules would hold one per consenting customer against the account's schedule quota (shared
 * with the journeys' waits) and cost a Scheduler call on every change of consent.
 */
export class ConsentNotices extends Construct {
  public readonly sender: BaseFunction;

  constructor(scope: Construct, id: string, props: ConsentNoticesProps) {
    super(scope, id);
    this.sender = new BaseFunction(this, 'Send', {
      failureQueue: props.failureQueue,
      logRetention: props.logRetention,
      handler: 'send-consent-notices',
      description: 'Sends the consent-status notices due today and records them on the consent ledger',
      timeout: Duration.minutes(15),
      environment: { [EnvVars.OutreachQueueUrl]: props.outreachQueue.queueUrl },
    });
    props.profiles.grantConsentNotices(this.sender);
    props.outreachQueue.grantSendMessages(this.sender);
    new Rule(this, 'Daily', {
      description: 'Sends the consent-status notices due today',
      schedule: props.schedule ?? Schedule.cron({ minute: '0', hour: '1' }),
      targets: [new LambdaFunction(this.sender, { deadLetterQueue: props.bus.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
  }
}
