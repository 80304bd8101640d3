/**
 * Feedback from SES: deliveries, bounces, complaints, opens and clicks update the message log, the
 * address's suppression and the customer's engagement counters, and go out on the lifecycle bus as
 * `email.*` events. A hard bounce or a complaint suppresses the address for every kind of email
 * until an operator lifts it; soft bounces suppress after a number in a row. SES delivers events at
 * least once: each kind of feedback counts once per message.
 */
import { createHash } from 'node:crypto';
import type { CustomerRef } from '../events/envelope.ts';
import { customerRefFor } from '../profile/customer-ref.ts';
import { emailHash, isProvisionalId } from '../profile/identity.ts';
import { readProfile, type StoreDeps } from '../profile/store.ts';
import { fromEventTags } from './email-tags.ts';
import { countJourneyMessage, type MessageOrigin } from './journey-messages.ts';
import { countEngagement, countSoftBounce, recordFeedback, resetSoftBounces, suppressAddress } from './outreach-store.ts';
import type { SesEvent } from './ses-event.ts';

export type FeedbackEventType = 'email.delivered' | 'email.bounced' | 'email.complained' | 'email.opened' | 'email.clicked';

export interface FeedbackAnnouncement {
  readonly detailType: FeedbackEventType;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly customer: CustomerRef;
  readonly data: Record<string, string>;
}

export interface FeedbackDeps extends StoreDeps {
  readonly clock: () => Date;
  /** Soft bounces in a row that suppress an address. */
  readonly softBounceLimit: number;
  readonly announce: (announcement: FeedbackAnnouncement) => Promise<void>;
}

export type FeedbackOutcome =
  | { readonly status: 'applied'; readonly announced?: FeedbackEventType; readonly suppressed: number }
  | { readonly status: 'ignored'; readonly reason: 'not-ours' | 'repeat' | 'not-tracked' };

const BOUNCE_TYPES: Record<string, string> = { Permanent: 'permanent', Transient: 'transient', Undetermined: 'undetermined' };

export async function applyFeedback(deps: FeedbackDeps, event: SesEvent): Promise<FeedbackOutcome> {
  const tags = fromEventTags(event.mail.tags);
  if (!tags) return { status: 'ignored', reason: 'not-ours' };
  const { customerId, messageKey } = tags;
  const occurredAt = new Date(
    event.bounce?.timestamp ??
      event.complaint?.timestamp ??
      event.delivery?.timestamp ??
      event.open?.timestamp ??
      event.click?.timestamp ??
      deps.clock().toISOString(),
  ).toISOString();
  const eventIdFor = (kind: string) => `ses-${createHash('sha256').update(`${event.mail.messageId}:${kind}`).digest('hex').slice(0, 32)}`;
  let suppressed = 0;

  // The event goes out first (consumers are idempotent on its eventId), then the first-of-its-kind
  // mark, then the counter: a retry after a crash re-announces rather than losing the event.
  const feedback = async (
    kind: string,
    counter: string,
    detailType: FeedbackEventType,
    data: Record<string, string | boolean> = {},
  ): Promise<FeedbackOutcome> => {
    // A provisional customer is named by their email or anonymous id, which the profile holds.
    const profile = isProvisionalId(customerId) ? await readProfile(deps, customerId) : undefined;
    await deps.announce({
      detailType,
      eventId: eventIdFor(kind),
      occurredAt,
      customer: customerRefFor(customerId, profile),
      data: { messageId: event.mail.messageId, messageKey, ...data },
    });
    const message = await recordFeedback(deps, customerId, messageKey, kind, occurredAt);
    if (!message) return { status: 'ignored', reason: 'repeat' };
    await countEngagement(deps, customerId, counter);
    if (counter === 'delivered' || counter === 'opened' || counter === 'clicked')
      await countJourneyMessage(deps, message.origin as MessageOrigin | undefined, counter);
    return { status: 'applied', announced: detailType, suppressed };
  };

  switch (event.eventType) {
    case 'Delivery':
      for (const recipient of event.delivery?.recipients ?? event.mail.destination) await resetSoftBounces(deps, emailHash(recipient));
      return feedback('delivered', 'delivered', 'email.delivered');
    case 'Bounce': {
      const bounceType = BOUNCE_TYPES[event.bounce?.bounceType ?? ''] ?? 'undetermined';
      for (const { emailAddress } of event.bounce?.bouncedRecipients ?? []) {
        const hash = emailHash(emailAddress);
        if (bounceType === 'permanent') {
          await suppressAddress(deps, hash, 'bounce', occurredAt);
          suppressed++;
        } else if ((await countSoftBounce(deps, hash)) >= deps.softBounceLimit) {
          await suppressAddress(deps, hash, 'soft-bounces', occurredAt);
          suppressed++;
        }
      }
      // The journey engine stops the customer's runs when the bounce says the address is suppressed.
      return feedback('bounced', 'bounced', 'email.bounced', { bounceType, ...(suppressed > 0 && { suppressed: true }) });
    }
    case 'Complaint':
      for (const { emailAddress } of event.complaint?.complainedRecipients ?? []) {
        await suppressAddress(deps, emailHash(emailAddress), 'complaint', occurredAt);
        suppressed++;
      }
      return feedback('complained', 'complained', 'email.complained');
    case 'Open':
      return feedback('opened', 'opened', 'email.opened');
    case 'Click':
      return feedback('clicked', 'clicked', 'email.clicked', { link: event.click?.link ?? '' });
    default:
      return { status: 'ignored', reason: 'not-tracked' };
  }
}
