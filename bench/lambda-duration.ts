/**
 * What a function's invocations would bill as duration in AWS, from what the local cloud measured.
 *
 * Wall time here is not it: on this machine many invocations share a worker and two cores, so an
 * invocation's wall time is mostly waiting on others (PRICES.md). The model instead adds, per
 * function, what AWS would bill for each part of an invocation's life:
 * - the CPU time its code used (cold starts included — Lambda bills INIT; where the system does
 *   not count CPU per thread, the workers' busy time, which also counts waiting for a core),
 *   stretched by the share of a vCPU Lambda gives the function's memory (one vCPU at 1,769 MB);
 * - each AWS call its code awaited, at a latency typical inside a region (an assumption, below),
 *   counted whole even when calls overlapped;
 * - the rounding of each invocation up to the next millisecond.
 * The wall-clock figure is reported beside it.
 */

/** Memory at which Lambda gives a function one full vCPU (Lambda's documentation on memory and CPU). */
export const FULL_VCPU_MB = 1769;

/**
 * Latency of one awaited AWS call from a function in the same region, in ms: an assumption, at the
 * upper end of the single-digit milliseconds DynamoDB is built for, doubled to cover SQS,
 * EventBridge and Scheduler calls, whose paths are longer.
 */
export const AWS_CALL_MS = 20;

/** What the local cloud reports of one function. */
export interface MeasuredFunction {
  readonly requests: number;
  readonly memoryMb: number;
  readonly activeMs: number;
  readonly cpuMs?: number | undefined;
  readonly awsCalls: number;
}

/** The time the function's code took on a whole core: its CPU time where measured, else its busy time. */
export function codeMs(fn: Pick<MeasuredFunction, 'activeMs' | 'cpuMs'>): number {
  return fn.cpuMs ?? fn.activeMs;
}

/**
 * How duration is priced: the model above, with a latency per awaited call (@default AWS_CALL_MS),
 * or this machine's wall clock — shown beside the model to say how much the figures rest on it.
 */
export type DurationBasis = { readonly kind: 'model'; readonly callMs?: number } | { readonly kind: 'wall-clock' };

/** The milliseconds of duration AWS would bill the function's invocations (sum over them). */
export function billedMs(fn: MeasuredFunction, callMs = AWS_CALL_MS): number {
  const cpuShare = Math.min(1, fn.memoryMb / FULL_VCPU_MB);
  return codeMs(fn) / cpuShare + fn.awsCalls * callMs + fn.requests;
}

/** The GB-seconds AWS would bill the function's invocations, by the model or, asked, the wall clock. */
export function billedGbSeconds(fn: MeasuredFunction & { readonly wallGbSeconds?: number }, basis: DurationBasis = { kind: 'model' }): number {
  if (basis.kind === 'wall-clock') return fn.wallGbSeconds ?? 0;
  return (billedMs(fn, basis.callMs) / 1000) * (fn.memoryMb / 1024);
}
