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

/** The message the feedback is about, and when it happened. */
interface Feedback {
  readonly event: SesEvent;
  readonly customerId: string;
  readonly messageKey: string;
  readonly occurredAt: string;
}

function occurredAtOf(event: SesEvent, clock: () => Date): string {
  const { bounce, complaint, delivery, open, click } = event;
  return new Date(
    bounce?.timestamp ?? complaint?.timestamp ?? delivery?.timestamp ?? open?.timestamp ?? click?.timestamp ?? clock().toISOString(),
  ).toISOString();
}

const eventIdFor = (event: SesEvent, kind: string) => `ses-${createHash('sha256').update(`${event.mail.messageId}:${kind}`).digest('hex').slice(0, 32)}`;

/**
 * Announces one kind of feedback and counts it once per message. The event goes out first
 * (consumers are idempotent on its eventId), then the first-of-its-kind mark, then the counter: a
 * retry after a crash re-announces rather than losing the event.
 */
async function announceOnce(
  deps: FeedbackDeps,
  feedback: Feedback,
  kind: 'delivered' | 'bounced' | 'complained' | 'opened' | 'clicked',
  detailType: FeedbackEventType,
  suppressed: number,
  data: Record<string, string | boolean> = {},
): Promise<FeedbackOutcome> {
  const { event, customerId, messageKey, occurredAt } = feedback;
  // A provisional customer is named by their email or anonymous id, which the profile holds.
  const profile = isProvisionalId(customerId) ? await readProfile(deps, customerId) : undefined;
  await deps.announce({
    detailType,
    eventId: eventIdFor(event, kind),
    occurredAt,
    customer: customerRefFor(customerId, profile),
    data: { messageId: event.mail.messageId, messageKey, ...data },
  });
  const message = await recordFeedback(deps, customerId, messageKey, kind, occurredAt);
  if (!message) return { status: 'ignored', reason: 'repeat' };
  await countEngagement(deps, customerId, kind);
  if (kind === 'delivered' || kind === 'opened' || kind === 'clicked') await countJourneyMessage(deps, message.origin as MessageOrigin | undefined, kind);
  return { status: 'applied', announced: detailType, suppressed };
}

/** Suppresses hard-bounced addresses, and soft-bounced ones past the limit; returns how many. */
async function suppressBounced(deps: FeedbackDeps, event: SesEvent, bounceType: string, occurredAt: string): Promise<number> {
  let suppressed = 0;
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
  return suppressed;
}

export async function applyFeedback(deps: FeedbackDeps, event: SesEvent): Promise<FeedbackOutcome> {
  const tags = fromEventTags(event.mail.tags);
  if (!tags) return { status: 'ignored', reason: 'not-ours' };
  const feedback: Feedback = { event, ...tags, occurredAt: occurredAtOf(event, deps.clock) };
  switch (event.eventType) {
    case 'Delivery':
      for (const recipient of event.delivery?.recipients ?? event.mail.destination) await resetSoftBounces(deps, emailHash(recipient));
      return announceOnce(deps, feedback, 'delivered', 'email.delivered', 0);
    case 'Bounce': {
      const bounceType = BOUNCE_TYPES[event.bounce?.bounceType ?? ''] ?? 'undetermined';
      const suppressed = await suppressBounced(deps, event, bounceType, feedback.occurredAt);
      // The journey engine stops the customer's runs when the bounce says the address is suppressed.
      return announceOnce(deps, feedback, 'bounced', 'email.bounced', suppressed, { bounceType, ...(suppressed > 0 && { suppressed: true }) });
    }
    case 'Complaint': {
      const complainers = event.complaint?.complainedRecipients ?? [];
      for (const { emailAddress } of complainers) await suppressAddress(deps, emailHash(emailAddress), 'complaint', feedback.occurredAt);
      return announceOnce(deps, feedback, 'complained', 'email.complained', complainers.length);
    }
    case 'Open':
      return announceOnce(deps, feedback, 'opened', 'email.opened', 0);
    case 'Click':
      return announceOnce(deps, feedback, 'clicked', 'email.clicked', 0, { link: event.click?.link ?? '' });
    default:
      return { status: 'ignored', reason: 'not-tracked' };
  }
}
