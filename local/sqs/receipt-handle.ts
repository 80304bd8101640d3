/**
 * Receipt handles: opaque to callers, new on every receive. Each names its queue and message, so a
 * handle from an earlier receive is told apart from one that was never issued: AWS accepts a stale
 * handle on DeleteMessage (and deletes nothing) but rejects a malformed one.
 */
import { randomUUID } from 'node:crypto';

interface HandleContent {
  readonly queueName: string;
  readonly messageId: string;
}

const PREFIX = 'local:';

export function newReceiptHandle(queueName: string, messageId: string): string {
  return Buffer.from(`${PREFIX}${JSON.stringify([queueName, messageId, randomUUID()])}`, 'utf8').toString('base64url');
}

/** The queue and message a handle names, or undefined when it is not a handle we issued. */
export function parseReceiptHandle(handle: string): HandleContent | undefined {
  const text = Buffer.from(handle, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  try {
    const parts: unknown = JSON.parse(text.slice(PREFIX.length));
    if (!Array.isArray(parts) || parts.length !== 3) return undefined;
    const [queueName, messageId] = parts as unknown[];
    return typeof queueName === 'string' && typeof messageId === 'string' ? { queueName, messageId } : undefined;
  } catch {
    return undefined;
  }
}
