/**
 * AWS prices the cost model uses: us-east-1, on-demand, as published on the date below. Re-check
 * them before publishing new figures, and change the date with them.
 */
export const PRICE_TABLE_DATE = '2026-11-22';
export const PRICE_REGION = 'us-east-1';

export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  readonly source: string;
}

export const PRICES = {
  putEventsChunk: { usd: 1.0 / 1e6, per: 'custom event entry (64 KB chunk)', source: 'https://aws.amazon.com/eventbridge/pricing/' },
  schedulerInvocation: {
    usd: 1.0 / 1e6,
    per: 'Scheduler invocation (after 14 M free a month, not counted here)',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  lambdaRequest: { usd: 0.2 / 1e6, per: 'Lambda request', source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaArmGbSecond: { usd: 0.0000133334, per: 'Lambda GB-second, arm64 (the stack builds arm64 functions)', source: 'https://aws.amazon.com/lambda/pricing/' },
  standardTransition: { usd: 0.025 / 1000, per: 'Step Functions Standard state transition', source: 'https://aws.amazon.com/step-functions/pricing/' },
  expressRequest: { usd: 1.0 / 1e6, per: 'Step Functions Express request', source: 'https://aws.amazon.com/step-functions/pricing/' },
  expressGbSecond: { usd: 0.00001667, per: 'Step Functions Express GB-second (100 ms, 64 MB steps)', source: 'https://aws.amazon.com/step-functions/pricing/' },
  dynamoWriteUnit: { usd: 0.625 / 1e6, per: 'DynamoDB on-demand write request unit', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  dynamoReadUnit: { usd: 0.125 / 1e6, per: 'DynamoDB on-demand read request unit', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  sqsRequest: { usd: 0.4 / 1e6, per: 'SQS standard request (64 KB chunk)', source: 'https://aws.amazon.com/sqs/pricing/' },
  sesMessage: { usd: 0.1 / 1000, per: 'SES outbound email', source: 'https://aws.amazon.com/ses/pricing/' },
  logsGigabyte: {
    usd: 0.5,
    per: 'CloudWatch Logs ingested GB (vended Step Functions logs: the same first tier)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  logsStoredGbMonth: { usd: 0.03, per: 'CloudWatch Logs GB-month stored', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  xrayTrace: { usd: 5.0 / 1e6, per: 'X-Ray trace recorded (100,000 free a month, not counted here)', source: 'https://aws.amazon.com/xray/pricing/' },
  alarmMetricMonth: { usd: 0.1, per: 'CloudWatch standard-resolution alarm metric a month', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  dashboardMonth: {
    usd: 3.0,
    per: 'CloudWatch dashboard a month (3 free per account, not counted here)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  customMetricMonth: { usd: 0.3, per: 'CloudWatch custom metric a month (metric filters make them)', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  kmsKeyMonth: { usd: 1.0, per: 'KMS customer-managed key a month', source: 'https://aws.amazon.com/kms/pricing/' },
  secretMonth: { usd: 0.4, per: 'Secrets Manager secret a month', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  dynamoStorageGbMonth: { usd: 0.25, per: 'DynamoDB GB-month stored', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  dynamoPitrGbMonth: { usd: 0.2, per: 'DynamoDB point-in-time recovery GB-month', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  archiveGbProcessed: { usd: 0.1, per: 'EventBridge archive GB archived', source: 'https://aws.amazon.com/eventbridge/pricing/' },
  archiveGbMonth: { usd: 0.023, per: 'EventBridge archive GB-month stored', source: 'https://aws.amazon.com/eventbridge/pricing/' },
  httpApiRequest: {
    usd: 1.0 / 1e6,
    per: 'API Gateway HTTP API request, first 300 million a month (the console; 1 million free a month in the first 12 months, not counted here)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
  cognitoEssentialsMau: {
    usd: 0.015,
    per: 'Cognito user pool monthly active user, Essentials plan, above the free tier',
    source: 'https://aws.amazon.com/cognito/pricing/',
  },
} as const satisfies Record<string, Price>;

/** Monthly active users a user pool on the Essentials plan has free each month. */
export const COGNITO_FREE_MAU = 10_000;

/** What the floor per business event includes: the least any design on this architecture pays. */
export const FLOOR_ITEMS = [
  { item: 'one PutEvents entry', usd: PRICES.putEventsChunk.usd },
  { item: 'one Lambda request', usd: PRICES.lambdaRequest.usd },
  { item: 'one DynamoDB write unit', usd: PRICES.dynamoWriteUnit.usd },
  { item: '50 ms of a 128 MB arm64 function', usd: 0.05 * (128 / 1024) * PRICES.lambdaArmGbSecond.usd },
] as const;

/** The floor per million business events before email, from the price table. */
export const FLOOR_PER_1M_EVENTS_NO_EMAIL_USD = FLOOR_ITEMS.reduce((sum, each) => sum + each.usd, 0) * 1e6;

/** Amazon Pinpoint (end of support 2026-10-30): per monthly targeted endpoint, for comparison. */
export const PINPOINT_PER_ENDPOINT_MONTH_USD = 0.0012;
export const PINPOINT_SOURCE = 'https://aws.amazon.com/pinpoint/pricing/ (archived)';
