/**
 * A customer whose address was suppressed (a complaint, a hard bounce, too many soft bounces)
 * leaves every journey: no email reaches them any more, and a journey that goes on without its
 * sends would still update their profile and count them as treated. The feedback handler announces
 * the suppression; the engine stops the runs when the announcement arrives.
 */
import { DetailTypes } from '../events/catalog.ts';

/** The events that may announce a suppression: the journey engine receives them all. */
export const SUPPRESSION_EVENTS = [DetailTypes.EmailBounced, DetailTypes.EmailComplained] as const;

/** Whether an event announces that the customer's address is suppressed now. */
export function announcesSuppression(detailType: string, data: Readonly<Record<string, unknown>>): boolean {
  if (detailType === DetailTypes.EmailComplained) return true;
  return detailType === DetailTypes.EmailBounced && data.suppressed === true;
}
