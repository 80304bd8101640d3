/**
 * Whether to send an email now, not at all (and why), or later. Pure: every rule about consent,
 * suppression, the frequency cap and quiet hours is here, unit-tested without AWS.
 *
 * Transactional email (an order confirmation, a delay notice, a support reply) goes to anyone
 * with an address that is not suppressed. Marketing email also needs consent for its topic, must
 * stay under the frequency cap, and waits out the recipient's quiet hours.
 */
import type { SKIP_REASONS } from '../events/types/system.ts';
import type { Profile } from '../profile/profile.ts';
import { marketingPermission, type ConsentMode } from './consent.ts';
import { isCapped, type FrequencyCap } from './frequency-cap.ts';
import { quietUntil, type QuietHours } from './quiet-hours.ts';
import type { SendRequest } from './request.ts';

export type SkipReason = (typeof SKIP_REASONS)[number];

export type Decision =
  | { readonly action: 'send'; readonly to: string }
  | { readonly action: 'skip'; readonly reason: Exclude<SkipReason, 'deferred-quiet-hours' | 'render-failed'> }
  | { readonly action: 'defer'; readonly until: Date };

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
  const to = profile?.email;
  if (!profile || !to) return { action: 'skip', reason: 'no-email' };
  if (input.addressSuppressed) return { action: 'skip', reason: 'suppressed' };
  if (request.kind === 'transactional') return { action: 'send', to };

  const topic = request.topic ?? 'newsletter';
  const permission = marketingPermission(profile.consent.email, topic, settings.consentMode);
  if (!permission.allowed) return { action: 'skip', reason: permission.reason };
  if (isCapped(input.marketingSentAt, now, request.frequencyCap ?? settings.frequencyCap)) return { action: 'skip', reason: 'capped' };
  const until = quietUntil(now, profile.timezone ?? settings.defaultTimezone, settings.quietHours);
  if (until) return { action: 'defer', until };
  return { action: 'send', to };
}
