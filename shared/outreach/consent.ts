/**
 * May a customer get marketing email on a topic? The customer's latest statement decides —
 * about the topic or about email as a whole, whichever came last. Without any statement the
 * deployment's consent mode decides: opt-in (the default; required in the EU and Korea) sends
 * nothing, opt-out (for regions where that is lawful) sends.
 */
import type { Topic } from '../events/fields.ts';
import { isNewer, type EmailConsent, type Statement } from '../profile/profile.ts';

export type ConsentMode = 'opt-in' | 'opt-out';

export type Permission = { readonly allowed: true } | { readonly allowed: false; readonly reason: 'unsubscribed' | 'no-consent' };

export function marketingPermission(consent: EmailConsent, topic: Topic, mode: ConsentMode): Permission {
  const statements = [consent.all, consent.topics[topic]].filter((statement): statement is Statement => statement !== undefined);
  const latest = statements.reduce<Statement | undefined>(
    (newest, statement) => (newest === undefined || isNewer(statement.at, newest.at) ? statement : newest),
    undefined,
  );
  if (!latest) return mode === 'opt-out' ? { allowed: true } : { allowed: false, reason: 'no-consent' };
  return latest.subscribed ? { allowed: true } : { allowed: false, reason: 'unsubscribed' };
}
