/**
 * A CreateSchedule / UpdateSchedule request, checked as EventBridge Scheduler checks it: the
 * name, the expression (rate, cron or at, in its time zone), the flexible time window, the target
 * and its retry policy. Anything wrong is a ValidationException saying what and why.
 */
import { AwsServiceError } from '../aws-error.ts';
import { parseSchedule, ScheduleExpressionError, type Schedule } from '../eventbridge/schedule.ts';

export interface ScheduleTarget {
  readonly Arn: string;
  readonly RoleArn: string;
  readonly Input?: string;
  readonly RetryPolicy?: { readonly MaximumEventAgeInSeconds?: number; readonly MaximumRetryAttempts?: number };
  readonly DeadLetterConfig?: { readonly Arn?: string };
  /** Target-specific parameters (SqsParameters, EventBridgeParameters, …), kept for GetSchedule. */
  readonly [parameters: string]: unknown;
}

export interface ScheduleDefinition {
  readonly name: string;
  readonly groupName: string;
  readonly expression: string;
  readonly timezone?: string;
  readonly description?: string;
  readonly state: 'ENABLED' | 'DISABLED';
  /** Epoch milliseconds. Ignored by one-time schedules. */
  readonly startDate?: number;
  readonly endDate?: number;
  readonly flexibleTimeWindow: { readonly Mode: 'OFF' | 'FLEXIBLE'; readonly MaximumWindowInMinutes?: number };
  readonly target: ScheduleTarget;
  readonly actionAfterCompletion: 'NONE' | 'DELETE';
  readonly kmsKeyArn?: string;
  readonly clientToken?: string;
  /** The parsed expression, from the start date (or creation) on. */
  readonly schedule: Schedule;
  readonly oneTime: boolean;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
/** Scheduler's at(): exactly `yyyy-mm-ddThh:mm:ss`, no zone (ScheduleExpressionTimezone says it). */
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;

/**
 * How far in the past a one-time schedule may be and still fire (at once). Scheduler works to the
 * minute, and callers write at() to the second: a deferral to "now" must not fail for being late.
 */
export const AT_GRACE_MS = 60_000;

const invalid = (message: string): AwsServiceError => new AwsServiceError('ValidationException', message);

type Json = Record<string, unknown>;
const object = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);

function optionalString(input: Json, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string.`);
  return value;
}

function requiredString(input: Json, field: string): string {
  const value = optionalString(input, field);
  if (!value) throw invalid(`${field} is required.`);
  return value;
}

function oneOf<T extends string>(input: Json, field: string, allowed: readonly T[], fallback: T): T {
  const value = input[field] ?? fallback;
  if (!allowed.includes(value as T)) throw invalid(`${field} must be one of ${allowed.join(', ')}, not ${String(value)}.`);
  return value as T;
}

function whole(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(`${field} must be a whole number from ${min} to ${max}, not ${String(value)}.`);
  return value;
}

/** The JSON protocol's timestamps are epoch seconds. */
function date(input: Json, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${field} must be a timestamp.`);
  return value * 1000;
}

/** Time zones found valid: making a formatter to find out costs more than the rest of a request. */
const validTimeZones = new Set<string>();

function checkTimeZone(timeZone: string): void {
  if (validTimeZones.has(timeZone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw invalid(`Invalid ScheduleExpressionTimezone ${timeZone}: not an IANA time zone such as Europe/Berlin.`);
  }
  validTimeZones.add(timeZone);
}

function readTarget(value: unknown): ScheduleTarget {
  const target = object(value);
  if (!target) throw invalid('Target is required.');
  const arn = requiredString(target, 'Arn');
  const roleArn = requiredString(target, 'RoleArn');
  const input = optionalString(target, 'Input');
  const retry = object(target.RetryPolicy);
  if (retry) {
    whole(retry.MaximumRetryAttempts, 'Target.RetryPolicy.MaximumRetryAttempts', 0, 185);
    whole(retry.MaximumEventAgeInSeconds, 'Target.RetryPolicy.MaximumEventAgeInSeconds', 60, 86_400);
  }
  const deadLetter = object(target.DeadLetterConfig);
  if (deadLetter?.Arn !== undefined && !/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9_-]+$/.test(String(deadLetter.Arn))) {
    throw invalid(`Target.DeadLetterConfig.Arn must be the ARN of a standard SQS queue, not ${String(deadLetter.Arn)}.`);
  }
  return { ...target, Arn: arn, RoleArn: roleArn, ...(input !== undefined && { Input: input }) };
}

/**
 * @param name - from the path
 * @param now - when the request is made: rate() schedules count from then (or their start date),
 *   and a one-time schedule may not be in the past (beyond AT_GRACE_MS)
 */
export function readScheduleRequest(name: string, body: Json, now: number): ScheduleDefinition {
  if (!NAME.test(name)) throw invalid(`Name ${name} must be 1 to 64 letters, digits, '-', '_' or '.'.`);
  const groupName = optionalString(body, 'GroupName') ?? 'default';
  if (!NAME.test(groupName)) throw invalid(`GroupName ${groupName} must be 1 to 64 letters, digits, '-', '_' or '.'.`);

  const expression = requiredString(body, 'ScheduleExpression');
  const timezone = optionalString(body, 'ScheduleExpressionTimezone');
  if (timezone !== undefined) checkTimeZone(timezone);
  const startDate = date(body, 'StartDate');
  const endDate = date(body, 'EndDate');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) throw invalid('EndDate must be after StartDate.');

  const oneTime = expression.trim().startsWith('at(');
  if (oneTime && !AT.test(expression.trim()))
    throw invalid(`Invalid Schedule Expression ${expression}: write at(yyyy-mm-ddThh:mm:ss), with the time zone in ScheduleExpressionTimezone.`);
  let schedule: Schedule;
  try {
    schedule = parseSchedule(expression, startDate ?? now, timezone ?? 'UTC');
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw invalid(`Invalid Schedule Expression ${expression}: ${error.message}.`);
    throw error;
  }
  if (oneTime && schedule.next(now - AT_GRACE_MS) === undefined) {
    throw invalid(`Invalid Schedule Expression ${expression}: the time is in the past (it is now ${new Date(now).toISOString()}).`);
  }

  const window = object(body.FlexibleTimeWindow);
  if (!window) throw invalid('FlexibleTimeWindow is required.');
  const mode = oneOf(window, 'Mode', ['OFF', 'FLEXIBLE'] as const, 'OFF');
  const maximumWindow = whole(window.MaximumWindowInMinutes, 'FlexibleTimeWindow.MaximumWindowInMinutes', 1, 1440);
  if (mode === 'FLEXIBLE' && maximumWindow === undefined) throw invalid('FlexibleTimeWindow.MaximumWindowInMinutes is required when Mode is FLEXIBLE.');

  const description = optionalString(body, 'Description');
  const kmsKeyArn = optionalString(body, 'KmsKeyArn');
  const clientToken = optionalString(body, 'ClientToken');
  return {
    name,
    groupName,
    expression,
    ...(timezone !== undefined && { timezone }),
    ...(description !== undefined && { description }),
    state: oneOf(body, 'State', ['ENABLED', 'DISABLED'] as const, 'ENABLED'),
    ...(startDate !== undefined && { startDate }),
    ...(endDate !== undefined && { endDate }),
    flexibleTimeWindow: { Mode: mode, ...(maximumWindow !== undefined && { MaximumWindowInMinutes: maximumWindow }) },
    target: readTarget(body.Target),
    actionAfterCompletion: oneOf(body, 'ActionAfterCompletion', ['NONE', 'DELETE'] as const, 'NONE'),
    ...(kmsKeyArn !== undefined && { kmsKeyArn }),
    ...(clientToken !== undefined && { clientToken }),
    schedule,
    oneTime,
  };
}
