import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import { PRODUCT_KEY_PREFIX } from '#shared/scoring/recommendation-keys.ts';
import { BaseFunction } from './base-function.ts';
import type { LifecycleBus } from './lifecycle-bus.ts';
import type { ProfileStore } from './profile-store.ts';

export interface InsightsProps {
  readonly bus: LifecycleBus;
  readonly profiles: ProfileStore;
  readonly failureQueue: IQueue;
  readonly logRetention: RetentionDays;
  /** When the customer base is scored: before the segments built on its scores are evaluated (04:00 UTC). @default cron(0 2 * * ? *), 02:00 UTC daily */
  readonly scoringSchedule?: Schedule;
}

/**
 * What the system learns about the whole customer base, beside each profile: products bought and
 * viewed together (for recommendations), kept up to date as orders, carts and views arrive; and,
 * once a day, RFM segments and churn risk for every customer, recorded as `profile.updated` events.
 */
export class Insights extends Construct {
  public readonly learnProducts: BaseFunction;
  public readonly scoreCustomers: BaseFunction;

  constructor(scope: Construct, id: string, props: InsightsProps) {
    super(scope, id);
    const common = { failureQueue: props.failureQueue, logRetention: props.logRetention };

    this.learnProducts = new BaseFunction(this, 'LearnProducts', {
      ...common,
      handler: 'learn-products',
      description: 'Learns products bought and viewed together, and their names and prices',
    });
    // Reads the customer's profile; writes only the recommendation store's items (PRODUCT#, PRODUCT-ORDER#, PRODUCT-VIEW#).
    props.profiles.grant(this.learnProducts, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']);
    props.profiles.grantOnItems(this.learnProducts, ['dynamodb:PutItem', 'dynamodb:UpdateItem'], [PRODUCT_KEY_PREFIX]);
    props.bus.route('LearnProductsRoute', {
      detailTypes: [DetailTypes.OrderPlaced, DetailTypes.CartUpdated, DetailTypes.ProductViewed],
      description: 'Orders, carts and views to the recommendation store',
      target: (delivery) => new LambdaFunction(this.learnProducts, delivery),
    });

    this.scoreCustomers = new BaseFunction(this, 'ScoreCustomers', {
      ...common,
      handler: 'score-customers',
      description: 'Scores the customer base daily: RFM segments and churn risk',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: { [EnvVars.EventBus]: props.bus.bus.eventBusName },
    });
    props.profiles.grantProfileReads(this.scoreCustomers);
    props.bus.bus.grantPutEventsTo(this.scoreCustomers);
    new Rule(this, 'DailyScoring', {
      description: 'Scores the customer base: RFM segments and churn risk',
      schedule: props.scoringSchedule ?? Schedule.cron({ minute: '0', hour: '2' }),
      targets: [new LambdaFunction(this.scoreCustomers, { deadLetterQueue: props.bus.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
  }
}
