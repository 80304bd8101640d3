/**
 * Pinpoint's event types as this system's catalog events. Pinpoint's own (`_email.click`,
 * `_monetization.purchase`) have a counterpart; an application's custom event counts when it
 * already bears a catalog name (`order.placed`); any other has none, and a journey that needs it
 * is marked not deployable until someone picks the event that means the same.
 */
import { isDetailType } from '#shared/events/catalog.ts';

const PINPOINT_EVENTS: Readonly<Record<string, string>> = {
  '_email.send': 'outreach.sent',
  '_email.delivered': 'email.delivered',
  '_email.open': 'email.opened',
  '_email.click': 'email.clicked',
  '_email.hardbounce': 'email.bounced',
  '_email.softbounce': 'email.bounced',
  '_email.complaint': 'email.complained',
  '_monetization.purchase': 'order.placed',
};

/** The catalog event for a Pinpoint event type, or undefined when there is none. */
export function catalogEvent(pinpointType: string): string | undefined {
  const mapped = PINPOINT_EVENTS[pinpointType] ?? pinpointType;
  return isDetailType(mapped) ? mapped : undefined;
}
