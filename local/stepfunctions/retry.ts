/**
 * Task retries on the virtual clock. The local cloud takes `Retry` off Task states before handing
 * a definition to the interpreter and applies it here, so that back-off waits follow the virtual
 * clock (the interpreter would wait in real time). Semantics as in the States Language:
 * the first retrier whose ErrorEquals matches decides; `States.ALL` matches every error but
 * `States.Runtime`, `States.TaskFailed` every error but `States.Timeout`.
 */
import type { Clock } from '../clock.ts';

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

function matches(retrier: Retrier, errorName: string): boolean {
  return retrier.ErrorEquals.some(
    (name) =>
      name === errorName ||
      (name === 'States.ALL' && errorName !== 'States.Runtime') ||
      (name === 'States.TaskFailed' && errorName !== 'States.Timeout' && errorName !== 'States.Runtime'),
  );
}

/** The wait before the next attempt, or undefined when no retrier allows one. */
export function nextDelayMs(retriers: readonly Retrier[], attempts: number[], errorName: string, random = Math.random): number | undefined {
  const index = retriers.findIndex((retrier) => matches(retrier, errorName));
  const retrier = retriers[index];
  if (!retrier) return undefined;
  const used = attempts[index] ?? 0;
  if (used >= (retrier.MaxAttempts ?? 3)) return undefined;
  attempts[index] = used + 1;
  const base = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** used;
  const capped = retrier.MaxDelaySeconds === undefined ? base : Math.min(base, retrier.MaxDelaySeconds);
  const seconds = retrier.JitterStrategy === 'FULL' ? random() * capped : capped;
  return seconds * 1000;
}

/** Runs `task` until it succeeds or the retriers give up; rethrows the last error. */
export async function withRetries<T>(
  retriers: readonly Retrier[],
  clock: Pick<Clock, 'sleep'>,
  task: () => Promise<T>,
  onRetry?: (error: Error, delayMs: number) => void,
): Promise<T> {
  const attempts = retriers.map(() => 0);
  for (;;) {
    try {
      return await task();
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const delay = retriers.length > 0 ? nextDelayMs(retriers, attempts, name) : undefined;
      if (delay === undefined) throw error;
      onRetry?.(error as Error, delay);
      await clock.sleep(delay);
    }
  }
}
