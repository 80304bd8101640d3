/**
 * Deployment configuration, read from CDK context (`cdk.json` or `-c key=value`) and validated at
 * synth time: a bad value stops synthesis with a message that names the key.
 */
import type { Node } from 'constructs';
import * as z from 'zod';
import { email, isTimeZone, line } from '#shared/events/fields.ts';

/** The log levels Step Functions offers. */
export const STATE_MACHINE_LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The environment that may go without the advertiser's details (placeholders stand in). */
const DEVELOPMENT = 'dev';
const DEVELOPMENT_CONTACT = 'help@example.com';
const CONTACT_EMAIL = /[^\s@]+@[^\s@]+\.[A-Za-z]{2,}/;
const CONTACT_PHONE = /\+?\d[\d\s().-]{6,}\d/;

const positiveInt = (min: number, max: number) => z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(min).max(max);

const schema = z
  .object({
    environment: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, { error: 'must be 1-20 lower-case letters, digits or -, starting with a letter' })
      .default('dev'),
    busName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,256}$/, { error: 'must be 1-256 letters, digits, ., _ or -' })
      .refine((name) => name !== 'default', { error: 'must not be the default bus' })
      .optional(),
    tablePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,200}$/, { error: 'must be 1-200 letters, digits, _, . or -' })
      .default('lifecycle'),
    senderAddress: email.default('no-reply@example.com'),
    defaultTimezone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' }).default('UTC'),
    timelineRetentionDays: positiveInt(1, 3650).default(730),
    archiveRetentionDays: positiveInt(1, 3650).default(365),
    consentMode: z.enum(['opt-in', 'opt-out'], { error: 'must be opt-in or opt-out' }).default('opt-in'),
    quietHours: z
      .string()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d-([01]?\d|2[0-3]):[0-5]\d$/, { error: 'must look like 21:00-08:00' })
      .default('21:00-08:00'),
    frequencyCap: z
      .string()
      .regex(/^[1-9]\d*\/[1-9]\d*$/, { error: 'must look like 3/7 (marketing emails per days)' })
      .default('3/7'),
    maxSendRate: z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be positive' }).max(1000).default(10),
    softBounceLimit: positiveInt(1, 20).default(3),
    brandName: z.string().min(1).max(100).default('Our shop'),
    brandUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).default('https://shop.example.com'),
    alarmEmail: email.optional(),
    /** Who sends advertising email, named in every Korean marketing email (정보통신망법 Article 50). */
    advertiserName: line(100).optional(),
    /** How to reach that sender: an email address or a phone number, and a postal address if you like. */
    advertiserContact: line(200)
      .refine((contact) => CONTACT_EMAIL.test(contact) || CONTACT_PHONE.test(contact), { error: 'must hold an email address or a phone number' })
      .optional(),
    /**
     * What the per-event stage workflows (Express, one execution per event) log: ERROR by
     * default, since logging every state of every event would cost more than the workflow itself.
     */
    workflowLogLevel: z.enum(STATE_MACHINE_LOG_LEVELS, { error: `must be one of ${STATE_MACHINE_LOG_LEVELS.join(', ')}` }).default('ERROR'),
    logRetentionDays: z.coerce
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(30),
  })
  .superRefine((context, issues) => {
    // A development stack may go without; a stack that mails real people must say who sends.
    if (context.environment === DEVELOPMENT) return;
    for (const key of ['advertiserName', 'advertiserContact'] as const) {
      if (context[key] === undefined)
        issues.addIssue({
          code: 'custom',
          path: [key],
          message: `is required when environment is not ${DEVELOPMENT}: the sender named in Korean advertising email (정보통신망법 Article 50)`,
        });
    }
  })
  .transform((context) => ({
    ...context,
    advertiser: { name: context.advertiserName ?? context.brandName, contact: context.advertiserContact ?? DEVELOPMENT_CONTACT },
    busName: context.busName ?? `lifecycle-${context.environment}`,
    tableName: `${context.tablePrefix}-${context.environment}-profiles`,
    configurationSetName: `${context.tablePrefix}-${context.environment}-outreach`,
  }));

export type LifecycleConfig = z.output<typeof schema>;
export const CONTEXT_KEYS = Object.keys(schema.in.shape) as (keyof z.input<typeof schema>)[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * @example
 * npx cdk deploy -c environment=prod -c senderAddress=hello@shop.example -c defaultTimezone=Asia/Seoul
 */
export function readConfig(node: Node): LifecycleConfig {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, node.tryGetContext(key)]).filter(([, value]) => value !== undefined));
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  -c ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid deployment configuration (CDK context):\n${problems}`);
  }
  return result.data;
}
