/**
 * Whether to send an email now, not at all (and why), or later. Pure: every rule about consent,
 * suppression, the frequency cap and quiet hours is here, unit-tested without AWS.
 *
 * Transactional email (an order confirmation, a delay notice, a support reply) goes to anyone
 * with an address that is not suppressed. Marketing email also needs consent for its topic, must
 * stay under the frequency cap, and waits out the recipient's quiet hours.
 *
 * A customer seen for the first time minutes ago may not be on file in full yet: their sign-up
 * (with the address and the consent) and their first order come together and are recorded side
 * by side, so the order's confirmation can be asked for before the address is there. An email
 * that would be skipped for want of an address or consent is then looked at once more, a few
 * minutes later, before it is given up.
 *
 * A notice about an event is news only for a while (`newsUntil`): past it, it is skipped as
 * `too-old`, whatever else holds, so that replaying old events mails nobody.
 */
import type { SkipReason } from '../events/types/system.ts';
import type { Profile } from '../profile/profile.ts';
import { marketingPermission, type ConsentMode } from './consent.ts';
import { isCapped, type FrequencyCap } from './frequency-cap.ts';
import { quietUntil, type QuietHours } from './quiet-hours.ts';
import type { SendRequest } from './request.ts';

export type { SkipReason };

export type Decision =
  | { readonly action: 'send'; readonly to: string }
  | { readonly action: 'skip'; readonly reason: Exclude<SkipReason, 'deferred-quiet-hours' | 'render-failed'> }
  | { readonly action: 'defer'; readonly until: Date }
  /** Look again at `until`: the profile is new and may not hold all its first events yet. */
  | { readonly action: 'recheck'; readonly until: Date };

/** How new a profile is "new", and how long to give its first events to be recorded. */
export const SETTLING_MS = 10 * 60_000;
export const RECHECK_AFTER_MS = 2 * 60_000;

export interface DecisionSettings {
  readonly consentMode: ConsentMode;
  readonly quietHours: QuietHours;
  readonly frequencyCap: FrequencyCap;
  readonly defaultTimezone: string;
}

export interface DecisionInput {
  readonly request: SendRequest;
  /** Absent when the customer is unknown. */
  readonly profile?: Profile;
  readonly addressSuppressed: boolean;
  /** When this customer was last sent marketing email. */
  readonly marketingSentAt: readonly string[];
  readonly now: number;
  readonly settings: DecisionSettings;
}

export function decide(input: DecisionInput): Decision {
  const { request, profile, settings, now } = input;
  if (request.newsUntil !== undefined && now > Date.parse(request.newsUntil)) return { action: 'skip', reason: 'too-old' };
  const settling = profile !== undefined && !request.rechecked && now - Date.parse(profile.firstSeenAt) < SETTLING_MS;
  const recheck: Decision = { action: 'recheck', until: new Date(now + RECHECK_AFTER_MS) };
  const to = profile?.email;
  if (!profile || !to) return settling ? recheck : { action: 'skip', reason: 'no-email' };
  if (input.addressSuppressed) return { action: 'skip', reason: 'suppressed' };
  if (request.kind === 'transactional') return { action: 'send', to };

  const topic = request.topic ?? 'newsletter';
  const permission = marketingPermission(profile.consent.email, topic, settings.consentMode);
  if (!permission.allowed) return settling && permission.reason === 'no-consent' ? recheck : { action: 'skip', reason: permission.reason };
  if (isCapped(input.marketingSentAt, now, request.frequencyCap ?? settings.frequencyCap)) return { action: 'skip', reason: 'capped' };
  const until = quietUntil(now, profile.timezone ?? settings.defaultTimezone, settings.quietHours);
  if (until) return { action: 'defer', until };
  return { action: 'send', to };
}
