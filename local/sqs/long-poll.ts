/**
 * ReceiveMessage's long polling. The wait is a network wait, so it runs in real time even when the
 * virtual clock stands still: a long poll on a frozen clock ends after WaitTimeSeconds, never hangs.
 * It ends early when a message can be received, or when the service closes.
 */
import type { Queue } from '#local/sqs/queue.ts';

/**
 * Tries `attempt` at once, then again whenever the queue says a message may have become
 * receivable, until it finds messages or the wait ends. Everything is registered before this
 * returns, so a message sent right after the call is never missed.
 */
export function longPoll<T>(queue: Queue, attempt: () => T[], waitSeconds: number, closing: AbortSignal): Promise<T[]> {
  const found = attempt();
  if (found.length > 0 || waitSeconds <= 0 || closing.aborted) return Promise.resolve(found);
  return new Promise((resolve) => {
    let done = false;
    const finish = (messages: T[]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      closing.removeEventListener('abort', onClose);
      resolve(messages);
    };
    const onClose = () => finish([]);
    // Retried on a microtask: the queue announces from inside its own operations (a send, a
    // delete), which should finish before this poll receives.
    const retry = () =>
      queueMicrotask(() => {
        if (done) return;
        const messages = attempt();
        if (messages.length > 0) finish(messages);
      });
    const timer = setTimeout(onClose, waitSeconds * 1000);
    const unsubscribe = queue.onAvailable(retry);
    closing.addEventListener('abort', onClose, { once: true });
  });
}
