/**
 * Evaluates a condition against one profile. Pure: the time, the consent mode and (for journeys)
 * the events since entry come in the context, so the same condition gives the same answer in a
 * segment export, a journey branch and a test.
 */
import { TOPICS } from '../events/fields.ts';
import { marketingPermission, type ConsentMode } from '../outreach/consent.ts';
import type { Profile } from '../profile/profile.ts';
import { compareNumber } from './comparison.ts';
import type { AttributeCondition, Condition, DaysWindow, EventCondition } from './types.ts';

export interface ConditionContext {
  readonly profile: Profile;
  /** Epoch milliseconds; `lastActive` and `firstSeen` windows are measured back from it. */
  readonly now: number;
  readonly consentMode: ConsentMode;
  /** Timeline entries since the customer entered the journey (only journeys have it). */
  readonly eventsSinceEntry?: readonly { readonly detailType: string }[];
}

const DAY_MS = 86_400_000;

/**
 * True when the profile meets the condition.
 *
 * Semantics worth knowing:
 * - `attribute`: a missing or null attribute does not exist; `equals`/`in` compare strictly (the
 *   number 5 is not the string "5"); `notEquals` is the negation of `equals`, so customers
 *   without the attribute match it; `gt`… need a number and `contains` a string, else false.
 * - `score` and `revenue`: a score or currency the profile has none of counts as 0.
 * - `lastActive`/`firstSeen`: `withinDays: n` is at most n × 24 h before `now` (the boundary is
 *   within), `olderThanDays: n` is more than n × 24 h; the two are complements.
 * - `locale`: matches the language (`ko` matches ko-KR) or the exact tag, case-insensitively; a
 *   profile without a locale never matches.
 * - `tag`: `attributes.tags` as a list or a comma-separated string; tags compare exactly, trimmed.
 * - `event`: false without `eventsSinceEntry` (outside a journey there is no "since entry"), so
 *   `not: { event: … }` is then true. Without `count` at least one such event must have happened.
 */
export function evaluate(condition: Condition, context: ConditionContext): boolean {
  const { profile, now } = context;
  if ('all' in condition) return condition.all.every((part) => evaluate(part, context));
  if ('any' in condition) return condition.any.some((part) => evaluate(part, context));
  if ('not' in condition) return !evaluate(condition.not, context);
  if ('stage' in condition) return listOf(condition.stage).includes(profile.stage);
  if ('attribute' in condition) return matchesAttribute(condition, profile.attributes[condition.attribute]);
  if ('counter' in condition) return compareNumber(profile.counters[condition.counter], condition);
  if ('score' in condition) return compareNumber(profile.scores[condition.score] ?? 0, condition);
  if ('revenue' in condition) return compareNumber(profile.revenue[condition.revenue] ?? 0, condition);
  if ('lastActive' in condition) return inWindow(profile.lastActivityAt, condition.lastActive, now);
  if ('firstSeen' in condition) return inWindow(profile.firstSeenAt, condition.firstSeen, now);
  if ('consent' in condition) {
    const topics = condition.consent === 'any' ? TOPICS : [condition.consent];
    return topics.some((topic) => marketingPermission(profile.consent.email, topic, context.consentMode).allowed);
  }
  if ('locale' in condition) return listOf(condition.locale).some((wanted) => matchesLocale(profile.locale, wanted));
  if ('tag' in condition) return tagsOf(profile.attributes.tags).includes(condition.tag.trim());
  return matchesEvents(condition, context.eventsSinceEntry);
}

function listOf<T extends string>(value: T | readonly T[]): readonly T[] {
  return typeof value === 'string' ? [value] : value;
}

function matchesAttribute(condition: AttributeCondition, value: unknown): boolean {
  const exists = value !== undefined && value !== null;
  if (condition.exists !== undefined) return exists === condition.exists;
  if (condition.equals !== undefined) return value === condition.equals;
  if (condition.notEquals !== undefined) return value !== condition.notEquals;
  if (condition.in !== undefined) return condition.in.some((candidate) => candidate === value);
  if (condition.contains !== undefined) return typeof value === 'string' && value.includes(condition.contains);
  const { gt, gte, lt, lte } = condition;
  return typeof value === 'number' && compareNumber(value, { gt, gte, lt, lte });
}

function inWindow(at: string, window: DaysWindow, now: number): boolean {
  const age = now - Date.parse(at);
  if (Number.isNaN(age)) return false;
  if (window.withinDays !== undefined) return age <= window.withinDays * DAY_MS;
  return window.olderThanDays !== undefined && age > window.olderThanDays * DAY_MS;
}

function matchesLocale(locale: string | undefined, wanted: string): boolean {
  if (locale === undefined) return false;
  const [have, want] = [locale.toLowerCase(), wanted.toLowerCase()];
  return have === want || have.startsWith(`${want}-`);
}

/** Tags from a list attribute or a comma-separated string; anything else holds no tags. */
function tagsOf(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return raw
    .filter((tag): tag is string => typeof tag === 'string')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

function matchesEvents(condition: EventCondition, events: ConditionContext['eventsSinceEntry']): boolean {
  if (events === undefined) return false;
  const count = events.filter((entry) => entry.detailType === condition.event).length;
  return condition.count ? compareNumber(count, condition.count) : count > 0;
}
