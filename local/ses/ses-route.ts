/**
 * SES v2 sending on the edge: SendEmail goes to aws-ses-v2-local (which keeps the email for the
 * inbox page), and then the local cloud publishes the events SES would — Send, Delivery, Bounce,
 * Complaint, as the mailbox simulator decides, then Open and Click when recipients are simulated — to the configuration set's EventBridge
 * destination, each at its virtual time. Injected SES faults answer 429 as a throttled SES does.
 */
import type { HttpRoute } from '../edge/edge-server.ts';
import type { ActivityLog } from '../activity-log.ts';
import type { AtLeastOnce } from '../at-least-once.ts';
import type { Clock } from '../clock.ts';
import type { FaultInjector } from '../faults.ts';
import { engagementEvent, sentEmailFrom, sesEventsFor, type SentEmail, type SesEventDestination } from './event-publishing.ts';
import type { RecipientBehaviour } from './recipient-simulation.ts';

export const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

export interface SesRouteDeps {
  readonly sesEndpoint: string;
  readonly clock: Clock;
  readonly log: ActivityLog;
  readonly faults: FaultInjector;
  readonly region: string;
  readonly accountId: string;
  readonly destinations: () => readonly SesEventDestination[];
  /** What recipients do with delivered emails; nothing (no opens, no clicks) when absent. */
  readonly recipients?: RecipientBehaviour;
  /** Puts an SES event on a bus (by ARN). */
  readonly publish: (busArn: string, entry: { Source: string; DetailType: string; Detail: string; Time: string }) => void;
  /** Publishes each event a second time, when that mode is on. */
  readonly atLeastOnce?: AtLeastOnce;
}

export interface SesRoute extends HttpRoute {
  /** Simulates an open or a click of a sent email (for the demo and tests). */
  engage(messageId: string, kind: 'open' | 'click', link?: string): boolean;
  /** Emails sent, for the cost model. */
  readonly sent: () => number;
}

export function createSesRoute(deps: SesRouteDeps): SesRoute {
  const sentEmails = new Map<string, SentEmail>();
  let count = 0;

  const publishAt = (busArn: string, entry: { Source: string; DetailType: string; Detail: string; Time: Date }) => {
    const published = { ...entry, Time: entry.Time.toISOString() };
    deps.clock.at(entry.Time.getTime(), () => {
      deps.publish(busArn, published);
      // SES publishes each event at least once: the same record again, a while later.
      deps.atLeastOnce?.again('ses.events', { resources: [busArn], content: published.Detail }, () => deps.publish(busArn, published));
    });
  };

  return {
    pathPrefix: SEND_EMAIL_PATH,
    sent: () => count,
    async handle(request): Promise<{ status: number; headers: Record<string, string>; body: string }> {
      const fault = deps.faults.check('ses', { resources: ['SendEmail'], content: request.body.toString('utf8') });
      if (fault) {
        const code = fault.error ?? 'TooManyRequestsException';
        deps.log.record({ what: 'ses.send', resource: 'SendEmail', outcome: 'throttled', detail: code });
        return {
          status: 429,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
          body: JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
        };
      }
      const upstream = await fetch(`${deps.sesEndpoint}${SEND_EMAIL_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: String(request.headers.authorization ?? 'AWS4-HMAC-SHA256 Credential=local') },
        // A view of the bytes: with the DOM types in the program (the console's preact), fetch does not take a Buffer.
        body: new Uint8Array(request.body),
      });
      const text = await upstream.text();
      if (upstream.ok) {
        const email = sentEmailFrom(JSON.parse(request.body.toString('utf8')), JSON.parse(text), deps.clock.now());
        sentEmails.set(email.messageId, email);
        count++;
        deps.log.record({ what: 'ses.send', resource: email.configurationSetName ?? 'SendEmail', outcome: 'ok' });
        for (const { destinationBusArn, entries } of sesEventsFor(email, deps.destinations(), deps.region, deps.accountId, deps.recipients)) {
          for (const entry of entries) publishAt(destinationBusArn, entry);
        }
      }
      return { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }, body: text };
    },
    engage(messageId, kind, link) {
      const email = sentEmails.get(messageId);
      if (!email) return false;
      const entry = engagementEvent(email, kind, deps.clock.now(), link, { region: deps.region, accountId: deps.accountId });
      for (const destination of deps.destinations()) {
        const type = kind === 'open' ? 'OPEN' : 'CLICK';
        if (
          destination.enabled &&
          destination.configurationSetName === email.configurationSetName &&
          destination.matchingEventTypes.some((matching) => matching.toUpperCase() === type)
        ) {
          publishAt(destination.eventBusArn, entry);
        }
      }
      return true;
    },
  };
}
