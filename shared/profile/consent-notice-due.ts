/**
 * When a customer is due the consent-status notice: every two years from their consent to
 * marketing email, or from the last notice (정보통신망법 Article 50(8)). Pure, so that the profile
 * item can carry the due day (store.ts) and the notice index finds the customers due without a
 * scan, and a change of consent moves the day in the same write.
 */
import { TOPICS, type Topic } from '../events/fields.ts';
import { isNewer, type EmailConsent, type Profile, type Statement } from './profile.ts';

export const NOTICE_INTERVAL_YEARS = 2;

/** A consent in force: a topic (or all marketing email) and since when. */
export interface ConsentInForce {
  readonly topic: Topic | 'all';
  readonly since: string;
}

/** The statement that decides a topic: the later of the topic's own and the one about all email. */
function deciding(consent: EmailConsent, topic: Topic): Statement | undefined {
  const own = consent.topics[topic];
  const all = consent.all;
  if (!own) return all;
  if (!all) return own;
  return isNewer(own.at, all.at) ? own : all;
}

/**
 * The consents the customer gave and has not withdrawn, each with the time it was given; one
 * `all` entry when a single statement about all marketing email decides every topic. Only what
 * the customer said counts: the deployment's opt-out mode is no consent.
 */
export function consentsInForce(consent: EmailConsent): ConsentInForce[] {
  const given = TOPICS.map((topic) => ({ topic, statement: deciding(consent, topic) })).filter(({ statement }) => statement?.subscribed === true);
  if (given.length === TOPICS.length && consent.all && given.every(({ statement }) => statement === consent.all))
    return [{ topic: 'all', since: consent.all.at }];
  return given.map(({ topic, statement }) => ({ topic, since: statement?.at ?? '' }));
}

/** The same calendar day `years` later (29 February becomes 1 March). */
function yearsLater(at: string, years: number): Date {
  const date = new Date(at);
  return new Date(Date.UTC(date.getUTCFullYear() + years, date.getUTCMonth(), date.getUTCDate()));
}

/**
 * The day (UTC, YYYY-MM-DD) the next notice is due, or undefined when none is: no consent in
 * force, or no address to send it to.
 */
export function noticeDueDay(profile: Profile): string | undefined {
  if (profile.email === undefined) return undefined;
  const consents = consentsInForce(profile.consent.email);
  if (consents.length === 0) return undefined;
  const firstGiven = consents.map((each) => each.since).reduce((earliest, since) => (isNewer(earliest, since) ? since : earliest));
  const from = profile.consentNoticeAt !== undefined && isNewer(profile.consentNoticeAt, firstGiven) ? profile.consentNoticeAt : firstGiven;
  return yearsLater(from, NOTICE_INTERVAL_YEARS).toISOString().slice(0, 10);
}
