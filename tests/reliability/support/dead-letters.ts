/**
 * What the stack kept of the events it could not use, read from the local cloud's queues without
 * consuming them: events the stage workflows parked (with the error that stopped each), records
 * of failed asynchronous invocations (with the function's error), and undeliverable events.
 */
import type { TestCloud } from '#tests/support/local-cloud.ts';

export interface Parked {
  /** e.g. `BuyWorkflow` */
  readonly workflow: string;
  readonly error: string;
  /** The function's error message, when the cause holds one. */
  readonly reason: string;
}

export interface FailedInvocation {
  readonly function: string;
  readonly errorType: string;
  readonly errorMessage: string;
}

const queuesMatching = (test: TestCloud, pattern: RegExp) => (test.cloud.stacks[0]?.queues ?? []).filter((queue) => pattern.test(queue.name));
const bodies = (test: TestCloud, arn: string) => test.cloud.services.sqs.peek(arn).map((message) => JSON.parse(message.body) as Record<string, unknown>);

function causeMessage(cause: unknown): string {
  try {
    return String((JSON.parse(String(cause)) as { errorMessage?: unknown }).errorMessage ?? cause);
  } catch {
    return String(cause);
  }
}

/** Parked events by EventBridge event id. */
export function parkedEvents(test: TestCloud): Map<string, Parked> {
  const parked = new Map<string, Parked>();
  for (const queue of queuesMatching(test, /ParkedEvents/)) {
    const workflow = /(\w+Workflow)ParkedEvents/.exec(queue.name)?.[1] ?? queue.name;
    for (const body of bodies(test, queue.arn)) {
      const failure = (body.failure ?? {}) as { Error?: unknown; Cause?: unknown };
      parked.set(String(body.id), { workflow, error: String(failure.Error), reason: causeMessage(failure.Cause) });
    }
  }
  return parked;
}

/** Failed asynchronous invocations (the functions' failure destination), by the id of the event that caused each. */
export function failedInvocations(test: TestCloud): Map<string, FailedInvocation> {
  const failed = new Map<string, FailedInvocation>();
  for (const queue of queuesMatching(test, /FunctionFailures/)) {
    for (const body of bodies(test, queue.arn)) {
      const record = body as {
        requestContext?: { functionArn?: string };
        requestPayload?: { id?: string };
        responsePayload?: { errorType?: string; errorMessage?: string };
      };
      failed.set(String(record.requestPayload?.id), {
        function: record.requestContext?.functionArn?.split(':')[6] ?? '',
        errorType: record.responsePayload?.errorType ?? '',
        errorMessage: record.responsePayload?.errorMessage ?? '',
      });
    }
  }
  return failed;
}

/** Events no rule takes, kept by the bus's catch-all rules: their EventBridge ids. */
export const unroutedEvents = (test: TestCloud): string[] =>
  queuesMatching(test, /UnroutedEvents/).flatMap((queue) => bodies(test, queue.arn).map((body) => String(body.id)));

/** Events the bus could not deliver to a target after its retries. */
export const undeliverable = (test: TestCloud): number =>
  queuesMatching(test, /DeliveryDeadLetters/).reduce((sum, queue) => sum + test.cloud.services.sqs.peek(queue.arn).length, 0);
