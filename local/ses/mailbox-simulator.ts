/**
 * The SES mailbox simulator, as the local cloud plays it: what happens to an email sent to each
 * `@simulator.amazonses.com` address (with or without a `+label`). Any other address is delivered,
 * since the local cloud only keeps emails in its inbox.
 *
 * - success@ — delivered.
 * - bounce@ — the recipient's server answers SMTP 550 5.1.1 "user unknown": a permanent bounce.
 * - ooto@ — delivered; the recipient's server then sends an out-of-the-office auto-reply to the
 *   Return-Path. The auto-reply is mail to the sender, not an event-publishing event.
 * - complaint@ — delivered, then the recipient marks it as spam: a complaint.
 * - suppressionlist@ — SES treats it as if the address were on the suppression list: a permanent
 *   bounce of subtype Suppressed, without trying to deliver it.
 */

export interface BounceOutcome {
  readonly bounceType: 'Permanent' | 'Transient' | 'Undetermined';
  readonly bounceSubType: string;
  readonly status: string;
  readonly diagnosticCode: string;
  readonly reportingMTA: string;
}

export type RecipientOutcome = { readonly kind: 'delivered'; readonly complaint: boolean } | { readonly kind: 'bounced'; readonly bounce: BounceOutcome };

const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

const UNKNOWN_USER: BounceOutcome = {
  bounceType: 'Permanent',
  bounceSubType: 'General',
  status: '5.1.1',
  diagnosticCode: 'smtp; 550 5.1.1 user unknown',
  reportingMTA: 'dsn; a8-96.smtp-out.amazonses.com',
};

const SUPPRESSED: BounceOutcome = {
  bounceType: 'Permanent',
  bounceSubType: 'Suppressed',
  status: '5.1.1',
  diagnosticCode:
    'Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address. For more information about how to remove an address from the suppression list, see the Amazon SES Developer Guide: http://docs.aws.amazon.com/ses/latest/DeveloperGuide/remove-from-suppressionlist.html ',
  reportingMTA: 'dns; amazonses.com',
};

/** What the simulator does with an email to this (bare) address. */
export function simulatedOutcome(address: string): RecipientOutcome {
  const [local = '', domain = ''] = address.trim().toLowerCase().split('@');
  if (domain !== SIMULATOR_DOMAIN) return { kind: 'delivered', complaint: false };
  // `bounce+test-42@…` behaves like `bounce@…`: labels are for telling test runs apart.
  switch (local.split('+')[0]) {
    case 'bounce':
      return { kind: 'bounced', bounce: UNKNOWN_USER };
    case 'suppressionlist':
      return { kind: 'bounced', bounce: SUPPRESSED };
    case 'complaint':
      return { kind: 'delivered', complaint: true };
    default:
      return { kind: 'delivered', complaint: false };
  }
}
