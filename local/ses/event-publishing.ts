/**
 * SES event publishing to EventBridge, which aws-ses-v2-local does not do: for an email sent with
 * a configuration set that has an EventBridge event destination, the events SES would put on the
 * account's default bus (source `aws.ses`, detail-type `Email Sent`, `Email Delivered`, …, detail
 * the event-publishing record). What happens to each recipient follows the mailbox simulator;
 * with simulated recipients, a share of delivered emails is then opened and clicked.
 *
 * Each entry's `Time` is when SES would publish it (a delivery a second after the send, a
 * complaint a few seconds later), so the local cloud can put it on the bus at that virtual time.
 */
import { randomUUID } from 'node:crypto';
import { normalizeEventType, type SesEventDestination } from './destinations.ts';
import { simulatedOutcome, type BounceOutcome } from './mailbox-simulator.ts';
import { engagementFor, type RecipientBehaviour } from './recipient-simulation.ts';
import { bareAddress } from './mime-headers.ts';
import type { SentEmail } from './sent-email.ts';

export { sesDestinationsFrom, type SesEventDestination } from './destinations.ts';
export { sentEmailFrom, type SentEmail } from './sent-email.ts';

/** SES's `eventType`, and the detail-type of the EventBridge event that carries it. */
export const DETAIL_TYPES = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  Open: 'Email Opened',
  Click: 'Email Clicked',
  'Rendering Failure': 'Email Rendering Failed',
  DeliveryDelay: 'Email Delivery Delayed',
  Subscription: 'Email Subscribed',
} as const;

export type SesEventType = keyof typeof DETAIL_TYPES;

/** The configuration set's name for each event type (MatchingEventTypes). */
const MATCHING_TYPE: Record<SesEventType, string> = {
  Send: 'SEND',
  Delivery: 'DELIVERY',
  Bounce: 'BOUNCE',
  Complaint: 'COMPLAINT',
  Reject: 'REJECT',
  Open: 'OPEN',
  Click: 'CLICK',
  'Rendering Failure': 'RENDERING_FAILURE',
  DeliveryDelay: 'DELIVERY_DELAY',
  Subscription: 'SUBSCRIPTION',
};

/** A PutEvents entry; put it on the destination's bus. */
export interface SesEventEntry {
  Source: string;
  DetailType: string;
  /** The event-publishing record, as JSON. */
  Detail: string;
  /** When SES would publish it. */
  Time: Date;
}

// About what the mailbox simulator takes; only the order of events matters to consumers.
const BOUNCE_AFTER_MS = 800;
const DELIVERY_AFTER_MS = 1_000;
const COMPLAINT_AFTER_MS = 3_000;

/** The local cloud's region and account (local/local-cloud.ts), for events built without them. */
const LOCAL_ACCOUNT = { region: 'us-east-1', accountId: '000000000000' };

const SIMULATED_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SIMULATED_IP = '192.0.2.1';

interface SimulatedEvent {
  readonly eventType: SesEventType;
  readonly at: number;
  /** The type's own object, e.g. `{ bounce: {…} }`. */
  readonly details: Record<string, unknown>;
}

const iso = (time: number): string => new Date(time).toISOString();

/** SES feedback ids look like `0100018c…-<uuid>-000000`. */
const feedbackId = (time: number): string => `${time.toString(16).padStart(16, '0')}-${randomUUID()}-000000`;

const domainOf = (address: string): string => bareAddress(address).split('@')[1] ?? '';

/** `mail.tags`: SES's own tags, then the email's, each name with its list of values. */
function mailTags(email: SentEmail): Record<string, string[]> {
  const tags: Record<string, string[]> = {
    'ses:operation': ['SendEmail'],
    ...(email.configurationSetName && { 'ses:configuration-set': [email.configurationSetName] }),
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [domainOf(email.from)],
    'ses:caller-identity': ['local'],
  };
  for (const tag of email.tags) (tags[tag.Name] ??= []).push(tag.Value);
  return tags;
}

/** The `mail` object every event-publishing record carries. */
function mailObject(email: SentEmail, region: string, accountId: string): Record<string, unknown> {
  const headers = [
    { name: 'From', value: email.from },
    { name: 'To', value: email.to.join(', ') },
    ...(email.subject === undefined ? [] : [{ name: 'Subject', value: email.subject }]),
    { name: 'MIME-Version', value: '1.0' },
  ];
  return {
    timestamp: iso(email.sentAt),
    source: email.from,
    sourceArn: `arn:aws:ses:${region}:${accountId}:identity/${domainOf(email.from)}`,
    sendingAccountId: accountId,
    messageId: email.messageId,
    destination: [...email.to],
    headersTruncated: false,
    headers,
    commonHeaders: {
      from: [email.from],
      to: [...email.to],
      messageId: email.messageId,
      ...(email.subject !== undefined && { subject: email.subject }),
    },
    tags: mailTags(email),
  };
}

function bounceEvent(bounce: BounceOutcome, recipients: readonly string[], at: number): SimulatedEvent {
  return {
    eventType: 'Bounce',
    at,
    details: {
      bounce: {
        feedbackId: feedbackId(at),
        bounceType: bounce.bounceType,
        bounceSubType: bounce.bounceSubType,
        bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress, action: 'failed', status: bounce.status, diagnosticCode: bounce.diagnosticCode })),
        timestamp: iso(at),
        reportingMTA: bounce.reportingMTA,
      },
    },
  };
}

/** What simulated recipients do with a delivered email: an Open, maybe a Click (recipient-simulation.ts). */
function engagementEvents(email: SentEmail, deliveredAt: number, behaviour: RecipientBehaviour | undefined): SimulatedEvent[] {
  const engagement = behaviour && engagementFor(email, deliveredAt, behaviour);
  if (!engagement) return [];
  return [
    { eventType: 'Open', at: engagement.openAt, details: openDetails(engagement.openAt) },
    ...(engagement.click ? [{ eventType: 'Click' as const, at: engagement.click.at, details: clickDetails(engagement.click.at, engagement.click.link) }] : []),
  ];
}

const openDetails = (at: number) => ({ open: { timestamp: iso(at), userAgent: SIMULATED_USER_AGENT, ipAddress: SIMULATED_IP } });
const clickDetails = (at: number, link: string) => ({
  click: { timestamp: iso(at), link, linkTags: {}, ipAddress: SIMULATED_IP, userAgent: SIMULATED_USER_AGENT },
});

/** Everything the mailbox simulator (and simulated recipients, when given) make of this email, in time order. */
function simulate(email: SentEmail, behaviour?: RecipientBehaviour): SimulatedEvent[] {
  const sentAt = email.sentAt;
  const events: SimulatedEvent[] = [{ eventType: 'Send', at: sentAt, details: { send: {} } }];
  const delivered: string[] = [];
  const complained: string[] = [];
  // One bounce event per kind of bounce, listing its recipients, as SES reports them.
  const bounces = new Map<BounceOutcome, string[]>();
  for (const address of email.to) {
    const outcome = simulatedOutcome(address);
    if (outcome.kind === 'bounced') {
      bounces.set(outcome.bounce, [...(bounces.get(outcome.bounce) ?? []), address]);
      continue;
    }
    delivered.push(address);
    if (outcome.complaint) complained.push(address);
  }
  for (const [bounce, recipients] of bounces) events.push(bounceEvent(bounce, recipients, sentAt + BOUNCE_AFTER_MS));
  if (delivered.length > 0) {
    const at = sentAt + DELIVERY_AFTER_MS;
    events.push({
      eventType: 'Delivery',
      at,
      details: {
        delivery: {
          timestamp: iso(at),
          processingTimeMillis: DELIVERY_AFTER_MS,
          recipients: delivered,
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'a8-70.smtp-out.amazonses.com',
        },
      },
    });
    events.push(...engagementEvents(email, at, behaviour));
  }
  if (complained.length > 0) {
    const at = sentAt + COMPLAINT_AFTER_MS;
    events.push({
      eventType: 'Complaint',
      at,
      details: {
        complaint: {
          feedbackId: feedbackId(at),
          complaintSubType: null,
          complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
          timestamp: iso(at),
          userAgent: 'Amazon SES Mailbox Simulator',
          complaintFeedbackType: 'abuse',
          arrivalDate: iso(sentAt + DELIVERY_AFTER_MS),
        },
      },
    });
  }
  return events.sort((a, b) => a.at - b.at);
}

function entryOf(event: SimulatedEvent, mail: Record<string, unknown>): SesEventEntry {
  return {
    Source: 'aws.ses',
    DetailType: DETAIL_TYPES[event.eventType],
    Detail: JSON.stringify({ eventType: event.eventType, mail, ...event.details }),
    Time: new Date(event.at),
  };
}

/** The EventBridge events (PutEvents-style entries: Source, DetailType, Detail (JSON string), Time) that SES would publish for this email, as the mailbox simulator decides: a normal address gets Send then Delivery; bounce@simulator.amazonses.com gets Send then a permanent Bounce; complaint@ gets Send, Delivery, Complaint; etc. Only the event types the configuration set's destination matches, only when enabled; none without a configuration set. */
export function sesEventsFor(
  email: SentEmail,
  destinations: readonly SesEventDestination[],
  region: string,
  accountId: string,
  recipients?: RecipientBehaviour,
): { destinationBusArn: string; entries: SesEventEntry[] }[] {
  if (!email.configurationSetName) return [];
  const targets = destinations.filter((destination) => destination.enabled && destination.configurationSetName === email.configurationSetName);
  if (targets.length === 0) return [];
  const mail = mailObject(email, region, accountId);
  // Built once, so that every destination gets the same events (same feedback ids).
  const events = simulate(email, recipients).map((event) => ({ type: MATCHING_TYPE[event.eventType], entry: entryOf(event, mail) }));
  return targets.flatMap((destination) => {
    const matching = new Set(destination.matchingEventTypes.map(normalizeEventType));
    const entries = events.filter((event) => matching.has(event.type)).map((event) => event.entry);
    return entries.length > 0 ? [{ destinationBusArn: destination.eventBusArn, entries }] : [];
  });
}

/**
 * Engagement the local cloud can simulate on request (operators and tests): an open or a click of a sent email.
 * @param account - the region and account the email was sent from; the local cloud's by default
 */
export function engagementEvent(
  email: SentEmail,
  kind: 'open' | 'click',
  at: number,
  link?: string,
  account: { region: string; accountId: string } = LOCAL_ACCOUNT,
): SesEventEntry {
  const mail = mailObject(email, account.region, account.accountId);
  if (kind === 'open') return entryOf({ eventType: 'Open', at, details: openDetails(at) }, mail);
  if (!link) throw new TypeError('a simulated click needs the link that was clicked');
  return entryOf({ eventType: 'Click', at, details: clickDetails(at, link) }, mail);
}
