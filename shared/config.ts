/**
 * Runtime configuration, parsed once from the environment at cold start. Nothing else reads
 * `process.env`. The CDK constructs set these variables with the same names (`EnvVars`), in the
 * call that grants the access they stand for.
 */
import * as z from 'zod';
import { isTimeZone } from './events/fields.ts';
import { ConfigurationError } from './errors.ts';

export const EnvVars = {
  ProfileTable: 'PROFILE_TABLE_NAME',
  EventBus: 'EVENT_BUS_NAME',
  DefaultTimezone: 'DEFAULT_TIMEZONE',
  TimelineRetentionDays: 'TIMELINE_RETENTION_DAYS',
  Environment: 'ENVIRONMENT_NAME',
  OutreachQueueUrl: 'OUTREACH_QUEUE_URL',
  OutreachQueueArn: 'OUTREACH_QUEUE_ARN',
  OutreachDeadLetterQueueUrl: 'OUTREACH_DLQ_URL',
  SchedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  SenderAddress: 'SENDER_ADDRESS',
  ConfigurationSet: 'SES_CONFIGURATION_SET',
  ConsentMode: 'CONSENT_MODE',
  QuietHours: 'QUIET_HOURS',
  FrequencyCap: 'FREQUENCY_CAP',
  MaxSendRate: 'MAX_SEND_RATE',
  SenderConcurrency: 'SENDER_CONCURRENCY',
  MaxReceives: 'OUTREACH_MAX_RECEIVES',
  SoftBounceLimit: 'SOFT_BOUNCE_LIMIT',
  UnsubscribeUrl: 'UNSUBSCRIBE_URL',
  UnsubscribeSecretArn: 'UNSUBSCRIBE_SECRET_ARN',
  BrandName: 'BRAND_NAME',
  BrandUrl: 'BRAND_URL',
  AdvertiserName: 'ADVERTISER_NAME',
  AdvertiserContact: 'ADVERTISER_CONTACT',
  JourneyEngineArn: 'JOURNEY_ENGINE_ARN',
  LaunchRate: 'LAUNCH_RATE',
  /** The stack outputs the deployed console works from (JSON), as the CLI reads them with --stack. */
  ConsoleStackOutputs: 'CONSOLE_STACK_OUTPUTS',
  /** The Cognito user pool and app client whose sign-ins the console accepts. */
  ConsoleUserPoolId: 'CONSOLE_USER_POOL_ID',
  ConsoleClientId: 'CONSOLE_CLIENT_ID',
  /** The user pool's managed login, e.g. https://<prefix>.auth.<region>.amazoncognito.com */
  ConsoleLoginUrl: 'CONSOLE_LOGIN_URL',
  /** Where the console is served (the API's URL); sign-in comes back to its /auth/callback. */
  ConsoleUrl: 'CONSOLE_URL',
  /** Set by Lambda. */
  Region: 'AWS_REGION',
  /** Set by Lambda: where the function's code (and the email templates beside it) is. */
  TaskRoot: 'LAMBDA_TASK_ROOT',
} as const;

const schema = z.object({
  [EnvVars.ProfileTable]: z.string().min(1).optional(),
  [EnvVars.EventBus]: z.string().min(1).optional(),
  [EnvVars.DefaultTimezone]: z.string().refine(isTimeZone, { error: 'must be an IANA time zone' }).default('UTC'),
  [EnvVars.TimelineRetentionDays]: z.coerce.number().int().min(1).max(3650).default(730),
  [EnvVars.Environment]: z.string().min(1).default('dev'),
  [EnvVars.OutreachQueueUrl]: z.string().min(1).optional(),
  [EnvVars.OutreachQueueArn]: z.string().min(1).optional(),
  [EnvVars.OutreachDeadLetterQueueUrl]: z.string().min(1).optional(),
  [EnvVars.SchedulerRoleArn]: z.string().min(1).optional(),
  [EnvVars.SenderAddress]: z.string().min(3).optional(),
  [EnvVars.ConfigurationSet]: z.string().min(1).optional(),
  [EnvVars.ConsentMode]: z.enum(['opt-in', 'opt-out']).default('opt-in'),
  [EnvVars.QuietHours]: z
    .string()
    .regex(/^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/, { error: 'must look like 21:00-08:00' })
    .default('21:00-08:00'),
  [EnvVars.FrequencyCap]: z
    .string()
    .regex(/^\d+\/\d+$/, { error: 'must look like 3/7 (emails per days)' })
    .default('3/7'),
  [EnvVars.MaxSendRate]: z.coerce.number().positive().default(10),
  [EnvVars.SenderConcurrency]: z.coerce.number().int().min(1).default(2),
  [EnvVars.MaxReceives]: z.coerce.number().int().min(1).default(5),
  [EnvVars.SoftBounceLimit]: z.coerce.number().int().min(1).default(3),
  [EnvVars.UnsubscribeUrl]: z.string().url().optional(),
  [EnvVars.UnsubscribeSecretArn]: z.string().min(1).optional(),
  [EnvVars.BrandName]: z.string().min(1).default('Our shop'),
  [EnvVars.BrandUrl]: z.string().url().default('https://shop.example.com'),
  [EnvVars.AdvertiserName]: z.string().min(1).optional(),
  [EnvVars.AdvertiserContact]: z.string().min(1).optional(),
  [EnvVars.TaskRoot]: z.string().min(1).optional(),
  [EnvVars.ConsoleStackOutputs]: z.string().min(2).optional(),
  [EnvVars.ConsoleUserPoolId]: z.string().min(1).optional(),
  [EnvVars.ConsoleClientId]: z.string().min(1).optional(),
  [EnvVars.ConsoleLoginUrl]: z.string().url().optional(),
  [EnvVars.ConsoleUrl]: z.string().url().optional(),
  [EnvVars.Region]: z.string().min(1).default('us-east-1'),
  /** Journey name → the ARN launches start (a JSON object). */
  [EnvVars.JourneyEngineArn]: z.string().min(1).optional(),
  [EnvVars.LaunchRate]: z.coerce.number().positive().default(50),
});

export type Config = z.output<typeof schema>;

let parsed: Config | undefined;

/** @throws ConfigurationError naming the variable that is malformed */
export function config(env: NodeJS.ProcessEnv = process.env): Config {
  if (parsed && env === process.env) return parsed;
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigurationError(`invalid environment: ${problems}`);
  }
  if (env === process.env) parsed = result.data;
  return result.data;
}

/** A setting a function cannot run without. @throws ConfigurationError when it is not set */
export function required<K extends keyof Config>(key: K, env: NodeJS.ProcessEnv = process.env): NonNullable<Config[K]> {
  const value = config(env)[key];
  if (value === undefined || value === null) throw new ConfigurationError(`environment variable ${key} is not set`);
  return value as NonNullable<Config[K]>;
}
