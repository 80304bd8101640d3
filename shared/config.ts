/**
 * Runtime configuration, parsed once from the environment at cold start. Nothing else reads
 * `process.env`. The CDK constructs set these variables with the same names (`EnvVars`), in the
 * call that grants the access they stand for.
 */
import { z } from 'zod';
import { isTimeZone } from './events/fields.ts';
import { ConfigurationError } from './errors.ts';

export const EnvVars = {
  ProfileTable: 'PROFILE_TABLE_NAME',
  EventBus: 'EVENT_BUS_NAME',
  DefaultTimezone: 'DEFAULT_TIMEZONE',
  TimelineRetentionDays: 'TIMELINE_RETENTION_DAYS',
  Environment: 'ENVIRONMENT_NAME',
} as const;

const schema = z.object({
  [EnvVars.ProfileTable]: z.string().min(1).optional(),
  [EnvVars.EventBus]: z.string().min(1).optional(),
  [EnvVars.DefaultTimezone]: z.string().refine(isTimeZone, { error: 'must be an IANA time zone' }).default('UTC'),
  [EnvVars.TimelineRetentionDays]: z.coerce.number().int().min(1).max(3650).default(730),
  [EnvVars.Environment]: z.string().min(1).default('dev'),
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
