/**
 * A logged message as an operator reads it: what became of it (sent and what the recipient did,
 * waiting past quiet hours, or skipped and why) and who asked for it.
 */
import type { MessageRecord } from './outreach-store.ts';

/** The feedback kinds worth showing, in the order they happen. */
const FEEDBACK = ['delivered', 'opened', 'clicked', 'bounced', 'complained'] as const;

/** "sent (delivered, opened)", "deferred until 2026-11-23T08:00:00.000Z", "skipped: no-consent", "being sent". */
export function describeOutcome(message: MessageRecord): string {
  switch (message.status) {
    case 'sent': {
      const feedback = FEEDBACK.filter((kind) => message.feedback?.[kind] !== undefined);
      return feedback.length > 0 ? `sent (${feedback.join(', ')})` : 'sent';
    }
    case 'deferred':
      return `deferred until ${message.deferredUntil ?? '?'}`;
    case 'skipped':
      return `skipped: ${message.reason ?? 'unknown'}`;
    default:
      return 'being sent';
  }
}

/** "welcome-series v1 / welcome", "workflow buy", or "-". */
export function describeOrigin(message: MessageRecord): string {
  const origin = message.origin ?? {};
  if (typeof origin.journey === 'string')
    return `${origin.journey}${origin.version === undefined ? '' : ` v${String(origin.version)}`} / ${String(origin.step ?? '?')}`;
  if (typeof origin.workflow === 'string') return `workflow ${origin.workflow}`;
  return '-';
}
