/**
 * Errors that cross a boundary. Expected outcomes are returned values; these are thrown so that
 * Step Functions `Retry`/`Catch` and queue redrives can act on them, matched by `name`.
 */

/** Terminal: the event breaks the contract. It is parked with the reason, never retried. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Retryable: too many writers on one customer at once; a later attempt will get through. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

/** Terminal: the deployment is misconfigured (a missing or malformed environment variable). */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Names as Step Functions sees them in `Error`, for `Retry` and `Catch`. */
export const ErrorNames = {
  InvalidEvent: 'InvalidEventError',
  ConcurrentUpdate: 'ConcurrentUpdateError',
  Configuration: 'ConfigurationError',
} as const satisfies Record<string, string>;
