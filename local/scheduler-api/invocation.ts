/**
 * One invocation of a schedule's target, as EventBridge Scheduler makes it: the target's input
 * (with Scheduler's context attributes filled in), retried with back-off on the virtual clock while
 * the retry policy allows, then sent to the dead-letter queue with why it failed.
 */
import { randomUUID } from 'node:crypto';
import type { ActivityLog } from '../activity-log.ts';
import { AwsServiceError } from '../aws-error.ts';
import type { Clock } from '../clock.ts';
import type { ScheduleTarget } from './schedule-request.ts';

/**
 * Sends a target its input as the schedule's role (`roleArn`), which sends to the dead-letter queue
 * too; `attributes` ride along as SQS message attributes (dead-letter queues).
 */
export type SendToTarget = (arn: string, input: string, roleArn: string, attributes?: Readonly<Record<string, string>>) => Promise<void>;

export interface InvocationDeps {
  readonly clock: Clock;
  readonly log: ActivityLog;
  readonly send: SendToTarget;
}

export interface Invocation {
  /** `group/name`, for the activity log. */
  readonly resource: string;
  readonly scheduleArn: string;
  readonly target: ScheduleTarget;
  /** When the schedule fired (epoch ms). */
  readonly scheduledTime: number;
}

// Scheduler's defaults when a target sets no retry policy.
export const DEFAULT_RETRY_ATTEMPTS = 185;
export const DEFAULT_EVENT_AGE_SECONDS = 86_400;

/** Scheduler's times: ISO 8601 to the second. */
const isoSeconds = (time: number): string => new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Fills in Scheduler's context attributes, e.g. `<aws.scheduler.scheduled-time>`, as AWS does. */
export function inputFor(invocation: Invocation, executionId: string, attempt: number): string {
  const values: Record<string, string> = {
    '<aws.scheduler.schedule-arn>': invocation.scheduleArn,
    '<aws.scheduler.scheduled-time>': isoSeconds(invocation.scheduledTime),
    '<aws.scheduler.execution-id>': executionId,
    '<aws.scheduler.attempt-number>': String(attempt),
  };
  return (invocation.target.Input ?? '{}').replace(/<aws\.scheduler\.[a-z-]+>/g, (name) => values[name] ?? name);
}

/**
 * Invokes the target until it takes the input or the retry policy gives up.
 * @returns a function that cancels any retry still waiting, and a promise that settles when done
 */
export function invoke(deps: InvocationDeps, invocation: Invocation): { cancel: () => void; done: Promise<void> } {
  const { clock, log, send } = deps;
  const { target, resource } = invocation;
  const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
  const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_EVENT_AGE_SECONDS) * 1000;
  const executionId = randomUUID();
  const firstAttemptAt = clock.now();
  let cancelRetry = (): void => {};
  let cancelled = false;
  let finish = (): void => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const attempt = async (number: number): Promise<void> => {
    const started = performance.now();
    const input = inputFor(invocation, executionId, number);
    try {
      await send(target.Arn, input, target.RoleArn);
      log.record({ what: 'scheduler.delivery', resource, outcome: 'ok', durationMs: performance.now() - started });
      finish();
      return;
    } catch (error) {
      if (cancelled) return finish();
      const code = error instanceof AwsServiceError ? error.code : error instanceof Error ? error.name : 'InternalException';
      const message = error instanceof Error ? error.message : String(error);
      // Exponential back-off with jitter, from one second, capped at five minutes.
      const delay = Math.min(300_000, 1000 * 2 ** (number - 1)) * (0.5 + Math.random() / 2);
      const ageExceeded = clock.now() + delay - firstAttemptAt > maxAgeMs;
      if (number - 1 < maxRetries && !ageExceeded) {
        log.record({ what: 'scheduler.delivery', resource, outcome: 'retrying', detail: code });
        cancelRetry = clock.at(clock.now() + delay, () => void attempt(number + 1));
        return;
      }
      await deadLetter(code, message, ageExceeded ? 'MaximumEventAgeInSeconds' : 'MaximumRetryAttempts', number - 1, input);
      finish();
    }
  };

  const deadLetter = async (code: string, message: string, condition: string, retries: number, input: string): Promise<void> => {
    const queue = target.DeadLetterConfig?.Arn;
    if (!queue) {
      log.record({ what: 'scheduler.delivery', resource, outcome: 'dropped', detail: code });
      return;
    }
    // The body is what the target would have had; why it did not get it rides in the attributes.
    const attributes = {
      ERROR_CODE: code,
      ERROR_MESSAGE: message.slice(0, 256),
      EXHAUSTED_RETRY_CONDITION: condition,
      RETRY_ATTEMPTS: String(retries),
      SCHEDULE_ARN: invocation.scheduleArn,
      TARGET_ARN: target.Arn,
    };
    try {
      await send(queue, input, target.RoleArn, attributes);
      log.record({ what: 'scheduler.delivery', resource, outcome: 'dead-lettered', detail: code });
    } catch (error) {
      log.record({ what: 'scheduler.dead-letter', resource: queue, outcome: 'failed', detail: error instanceof Error ? error.message : String(error) });
    }
  };

  void attempt(1);
  return {
    cancel: () => {
      cancelled = true;
      cancelRetry();
      finish();
    },
    done,
  };
}
