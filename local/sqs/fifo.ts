/** FIFO queues' deduplication: a send repeating a deduplication id within five minutes is accepted but not enqueued. */
import { createHash } from 'node:crypto';

export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/** The id content-based deduplication uses: a SHA-256 of the body (attributes do not count, as in AWS). */
export function contentDeduplicationId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export class DeduplicationCache<T> {
  private readonly entries = new Map<string, { readonly expiresAt: number; readonly value: T }>();

  /** What the first send with this id answered, while the id is remembered. */
  get(id: string, now: number): T | undefined {
    this.forgetExpired(now);
    return this.entries.get(id)?.value;
  }

  remember(id: string, value: T, now: number): void {
    this.entries.set(id, { expiresAt: now + DEDUPLICATION_WINDOW_MS, value });
  }

  private forgetExpired(now: number): void {
    // Map iteration follows insertion order, which is expiry order: stop at the first live entry.
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(id);
    }
  }
}
