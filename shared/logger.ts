/**
 * The structured logger every function uses. Personal data never reaches a log line: values of
 * personal fields are replaced, and anything that looks like an email address is masked wherever
 * it appears, as a second line of defence.
 */
import { Logger } from '@aws-lambda-powertools/logger';

// Not `message`: it is the log line's own text. Support messages are never logged.
const PERSONAL_KEYS = new Set(['email', 'name', 'comment', 'subject', 'resolution', 'address', 'phone']);
const EMAIL_PATTERN = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;

/** JSON replacer that redacts personal data; exported for its tests. */
export function redactPersonalData(key: string, value: unknown): unknown {
  if (PERSONAL_KEYS.has(key) && value !== undefined && value !== null && typeof value !== 'object') return '[redacted]';
  if (typeof value === 'string') return value.replace(EMAIL_PATTERN, '[email]');
  return value;
}

/** Logs under `serviceName`, else the function's own name (`POWERTOOLS_SERVICE_NAME`, set per function by the stack). */
export function createLogger(serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'lifecycle'): Logger {
  return new Logger({ serviceName, jsonReplacerFn: redactPersonalData });
}

export const logger = createLogger();
