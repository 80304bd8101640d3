/**
 * What an event says about a customer's consent to marketing email, as one rule shared by the
 * profile (apply-event.ts) and the consent ledger (consent-ledger.ts), so the two never disagree.
 */
import { DetailTypes, type CatalogEvent } from '../events/catalog.ts';
import type { Topic } from '../events/fields.ts';

/** One yes or no: about a topic, or about marketing email as a whole (`all`). */
export interface ConsentStatement {
  readonly topic: Topic | 'all';
  readonly subscribed: boolean;
}

export interface ConsentSaid {
  readonly statements: readonly ConsentStatement[];
  /** Where the customer said it, when the event tells. */
  readonly via?: string;
  /** The version of the wording the customer saw, when the event tells. */
  readonly wordingVersion?: string;
}

/**
 * The consent statements an event makes; undefined for an event that says nothing about consent.
 * A lead who names topics agrees to those; one who names none agrees to email as a whole; one who
 * declines declines all of it.
 */
export function consentSaidBy(event: CatalogEvent): ConsentSaid | undefined {
  if (event.detailType === DetailTypes.ConsentUpdated) {
    const { topic, subscribed, via, wordingVersion } = event.detail.data;
    return { statements: [{ topic: topic ?? 'all', subscribed }], ...(via && { via }), ...(wordingVersion && { wordingVersion }) };
  }
  if (event.detailType === DetailTypes.LeadCaptured) {
    const consent = event.detail.data.consent;
    if (consent === undefined) return undefined;
    const named = consent.email ? (consent.topics ?? []) : [];
    const statements: ConsentStatement[] = named.map((topic) => ({ topic, subscribed: true }));
    if (!consent.email || named.length === 0) statements.push({ topic: 'all', subscribed: consent.email });
    return { statements, via: event.detail.data.channel, ...(consent.wordingVersion && { wordingVersion: consent.wordingVersion }) };
  }
  return undefined;
}
