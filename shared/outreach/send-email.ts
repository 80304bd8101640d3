/**
 * Handles one send request: decides, renders, sends through SES, and records — so that each
 * message key produces at most one email however often the request is delivered:
 *
 * 1. a message key already sent or skipped is a duplicate: nothing happens;
 * 2. the decision (decide.ts) skips (logged with its reason and counted), defers past quiet hours
 *    (logged as deferred until the message comes back), or sends;
 * 3. for marketing, a slot under the frequency cap is reserved (a conditional write);
 * 4. the message key is claimed (a conditional write) before SES is called;
 * 5. SES accepts → the message is marked sent; SES refuses (throttling, an outage) → the claim
 *    and the slot are given back and the request is retried later.
 *
 * A claim left `sending` by a crash between 4 and 5 is never sent again (SES cannot say whether
 * it sent it): after its lease the request fails for good, with that reason, into the dead-letter
 * queue for an operator — a customer never gets the same message twice.
 */
import type { CustomerRef } from '../events/envelope.ts';
import type { Topic } from '../events/fields.ts';
import { emailHash } from '../profile/identity.ts';
import type { Profile } from '../profile/profile.ts';
import { customerRefFor, customerRefOf } from '../profile/customer-ref.ts';
import { readCurrentProfile, type StoreDeps } from '../profile/store.ts';
import { decide, type DecisionSettings, type SkipReason } from './decide.ts';
import { toEmailTags } from './email-tags.ts';
import { withinWindow } from './frequency-cap.ts';
import {
  claimMessage,
  countEngagement,
  logDeferral,
  markSent,
  putOutreachState,
  readAddress,
  readMessage,
  readOutreachState,
  releaseMessage,
  type MessageRecord,
  type MessageStatus,
  type OutreachState,
} from './outreach-store.ts';
import { countJourneyMessage, skippedCounter } from './journey-messages.ts';
import { applyKoreanAdvertisingRules, type Advertiser } from './korean-advertising.ts';
import type { RenderedEmail, Renderer } from './render.ts';
import type { SendRequest } from './request.ts';
import { personalVariables, type PersonalizeDeps } from './personalize.ts';
import { signToken } from './unsubscribe-token.ts';

export interface SenderSettings extends DecisionSettings {
  readonly fromAddress: string;
  readonly configurationSet: string;
  /** The unsubscribe endpoint; links carry a signed token. */
  readonly unsubscribeUrl: string;
  readonly brand: { readonly name: string; readonly url: string };
  /** Who sends advertising email, shown in every Korean marketing email (korean-advertising.ts). */
  readonly advertiser: Advertiser;
  /** @default 90 */
  readonly tokenLifetimeDays?: number;
  /** How long a `sending` claim protects a send in progress. @default 15 */
  readonly claimLeaseMinutes?: number;
  /** How long message records are kept. @default 730 */
  readonly messageRetentionDays?: number;
}

export interface OutgoingEmail {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly tags: readonly { readonly Name: string; readonly Value: string }[];
  readonly configurationSet: string;
}

export type Announcement =
  | { readonly type: 'outreach.sent'; readonly customer: CustomerRef; readonly request: SendRequest; readonly messageId: string }
  | { readonly type: 'outreach.skipped'; readonly customer: CustomerRef; readonly request: SendRequest; readonly reason: SkipReason };

export interface SenderDeps extends StoreDeps {
  readonly clock: () => Date;
  readonly settings: SenderSettings;
  readonly renderer: Renderer;
  /** Sends through SES; resolves with the SES message id. Throws on refusal. */
  readonly sendEmail: (email: OutgoingEmail) => Promise<string>;
  readonly unsubscribeSecret: () => Promise<string>;
  /** Puts the request back on the queue at a later time. */
  readonly deferUntil: (request: SendRequest, until: Date) => Promise<void>;
  readonly announce: (announcement: Announcement) => Promise<void>;
  /** Recommendations for `personalize.recommendations`; none are added without it. */
  readonly recommend?: PersonalizeDeps['recommend'];
}

export type SendOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'skipped'; readonly reason: SkipReason }
  | { readonly status: 'deferred'; readonly until: Date }
  | { readonly status: 'duplicate' };

/** Retryable: SES refused for now, or another worker holds the claim; the request comes back. */
export class SendDeferredError extends Error {
  override readonly name = 'SendDeferredError';
}

/** Terminal: a claim was left by a send that may or may not have happened; an operator decides. */
export class UnconfirmedSendError extends Error {
  override readonly name = 'UnconfirmedSendError';
}

const MAX_STATE_ATTEMPTS = 10;

async function templateVariables(
  deps: SenderDeps,
  request: SendRequest,
  profile: Profile,
  links: { unsubscribeUrl?: string; preferencesUrl: string } | undefined,
  now: Date,
) {
  const firstName = typeof profile.attributes.firstName === 'string' ? profile.attributes.firstName : profile.name?.split(/\s+/)[0];
  const personal = await personalVariables(
    {
      // The survey page is served beside the unsubscribe page.
      surveyUrl: new URL('survey', deps.settings.unsubscribeUrl).toString(),
      secret: deps.unsubscribeSecret,
      now,
      tokenLifetimeDays: deps.settings.tokenLifetimeDays ?? 90,
      ...(deps.recommend && { recommend: deps.recommend }),
    },
    profile,
    request.personalize,
  );
  return {
    ...request.variables,
    ...personal,
    customer: { ...(firstName && { firstName }), ...(profile.name && { name: profile.name }) },
    brand: deps.settings.brand,
    advertiser: deps.settings.advertiser,
    locale: profile.locale ?? 'en',
    timezone: profile.timezone ?? deps.settings.defaultTimezone,
    ...links,
  };
}

async function unsubscribeLinks(deps: SenderDeps, customerId: string, topic: Topic, now: Date) {
  const secret = await deps.unsubscribeSecret();
  const expiresAt = Math.floor(now.getTime() / 1000) + (deps.settings.tokenLifetimeDays ?? 90) * 86_400;
  const link = (scope: Topic | 'all') => `${deps.settings.unsubscribeUrl}?token=${signToken({ customerId, topic: scope, expiresAt }, secret)}`;
  return { unsubscribeUrl: link(topic), preferencesUrl: link('all') };
}

/** Reserves a slot under the frequency cap: false when another send took the state first. */
async function reserveSlot(deps: SenderDeps, customerId: string, state: OutreachState, now: Date, windowDays: number): Promise<boolean> {
  const recent = withinWindow(state.marketingSentAt, now.getTime(), { max: Number.MAX_SAFE_INTEGER, windowDays });
  return putOutreachState(deps, customerId, { ...state, version: state.version + 1, marketingSentAt: [...recent, now.toISOString()] });
}

async function releaseSlot(deps: SenderDeps, customerId: string, at: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_STATE_ATTEMPTS; attempt++) {
    const state = await readOutreachState(deps, customerId);
    if (!state.marketingSentAt.includes(at)) return;
    const released = { ...state, version: state.version + 1, marketingSentAt: state.marketingSentAt.filter((sent) => sent !== at) };
    if (await putOutreachState(deps, customerId, released)) return;
  }
}

/** The message log's item for this request, in the given state. */
function messageRecord(request: SendRequest, status: MessageStatus, now: Date, detail: { reason?: SkipReason; deferredUntil?: Date } = {}): MessageRecord {
  return {
    customerId: request.customerId,
    messageKey: request.messageKey,
    template: request.template,
    messageKind: request.kind,
    ...(request.topic && { topic: request.topic }),
    status,
    ...(detail.reason && { reason: detail.reason }),
    ...(detail.deferredUntil && { deferredUntil: detail.deferredUntil.toISOString() }),
    claimedAt: now.toISOString(),
    ...(request.origin && { origin: request.origin }),
  };
}

const expiresAt = (deps: SenderDeps, now: Date) => Math.floor(now.getTime() / 1000) + (deps.settings.messageRetentionDays ?? 730) * 86_400;

/** Claims the message key for this request: false when it was claimed before. */
function claim(deps: SenderDeps, request: SendRequest, status: 'sending' | 'skipped', now: Date, reason?: SkipReason): Promise<boolean> {
  return claimMessage(deps, messageRecord(request, status, now, { ...(reason && { reason }) }), expiresAt(deps, now));
}

/** A decision not to send: logged with its reason, announced, and counted on the journey's step. */
async function skip(deps: SenderDeps, request: SendRequest, profile: Profile | undefined, reason: SkipReason, now: Date): Promise<SendOutcome> {
  if (!(await claim(deps, request, 'skipped', now, reason))) return { status: 'duplicate' };
  await deps.announce({ type: 'outreach.skipped', customer: customerRefFor(request.customerId, profile), request, reason });
  await countJourneyMessage(deps, request.origin, skippedCounter(reason));
  return { status: 'skipped', reason };
}

/** A wait for quiet hours to end: logged (once) and counted, so that the email is not unaccounted for meanwhile. */
async function defer(deps: SenderDeps, request: SendRequest, profile: Profile | undefined, until: Date, now: Date): Promise<SendOutcome> {
  await deps.deferUntil(request, until);
  await deps.announce({ type: 'outreach.skipped', customer: customerRefFor(request.customerId, profile), request, reason: 'deferred-quiet-hours' });
  if (await logDeferral(deps, messageRecord(request, 'deferred', now, { deferredUntil: until }), expiresAt(deps, now)))
    await countJourneyMessage(deps, request.origin, 'deferred');
  return { status: 'deferred', until };
}

/**
 * What the message log says of the request already: a duplicate when it was sent or skipped.
 * @throws SendDeferredError while another attempt holds the claim
 * @throws UnconfirmedSendError when an earlier attempt claimed it and never confirmed
 */
async function alreadyHandled(deps: SenderDeps, request: SendRequest, now: Date): Promise<SendOutcome | undefined> {
  const existing = await readMessage(deps, request.customerId, request.messageKey);
  if (existing?.status === 'sent' || existing?.status === 'skipped') return { status: 'duplicate' };
  if (existing?.status !== 'sending') return undefined;
  const leaseMs = (deps.settings.claimLeaseMinutes ?? 15) * 60_000;
  if (now.getTime() - Date.parse(existing.claimedAt) < leaseMs) throw new SendDeferredError('another attempt is sending this message');
  throw new UnconfirmedSendError(`an earlier attempt claimed message ${request.messageKey} and did not confirm; SES may have sent it`);
}

type Links = Awaited<ReturnType<typeof unsubscribeLinks>>;

/** The email as it goes out: rendered, with the law's marks on marketing; undefined when it does not render. */
async function compose(deps: SenderDeps, request: SendRequest, profile: Profile, now: Date): Promise<{ email: RenderedEmail; links?: Links } | undefined> {
  const marketing = request.kind === 'marketing';
  const links =
    marketing || request.personalize?.preferencesLink ? await unsubscribeLinks(deps, profile.customerId, request.topic ?? 'newsletter', now) : undefined;
  const rendered = await deps.renderer.render({
    template: request.template,
    ...(profile.locale && { locale: profile.locale }),
    timezone: profile.timezone ?? deps.settings.defaultTimezone,
    // A transactional email gets the preference page's link when it asks, never an unsubscribe link.
    variables: await templateVariables(deps, request, profile, links && (marketing ? links : { preferencesUrl: links.preferencesUrl }), now),
  });
  if (!rendered.ok) return undefined;
  // The law's marks are the sender's to make, whatever the template wrote.
  const email = applyKoreanAdvertisingRules(
    rendered.email,
    marketing && links ? { kind: 'marketing', unsubscribeUrl: links.unsubscribeUrl } : { kind: 'transactional' },
    deps.settings.advertiser,
  );
  return { email, ...(links && { links }) };
}

/**
 * Claims the message, sends it through SES and marks it sent; `retry` when the frequency-cap slot
 * was taken meanwhile (the caller reads the state again).
 */
async function deliver(
  deps: SenderDeps,
  request: SendRequest,
  profile: Profile,
  to: string,
  { email, links }: { email: RenderedEmail; links?: Links },
  state: Awaited<ReturnType<typeof readOutreachState>>,
  now: Date,
): Promise<SendOutcome | 'retry'> {
  const marketing = request.kind === 'marketing';
  const windowDays = (request.frequencyCap ?? deps.settings.frequencyCap).windowDays;
  if (marketing && !(await reserveSlot(deps, profile.customerId, state, now, windowDays))) return 'retry';
  const sentAt = now.toISOString();
  if (!(await claim(deps, request, 'sending', now))) {
    if (marketing) await releaseSlot(deps, profile.customerId, sentAt);
    return { status: 'duplicate' };
  }
  let messageId: string;
  try {
    messageId = await deps.sendEmail({
      to,
      from: deps.settings.fromAddress,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers:
        marketing && links
          ? [
              { name: 'List-Unsubscribe', value: `<${links.unsubscribeUrl}>` },
              { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
            ]
          : [],
      tags: toEmailTags({ customerId: request.customerId, messageKey: request.messageKey, template: request.template, kind: request.kind }),
      configurationSet: deps.settings.configurationSet,
    });
  } catch (error) {
    await releaseMessage(deps, request.customerId, request.messageKey);
    if (marketing) await releaseSlot(deps, profile.customerId, sentAt);
    throw new SendDeferredError(`SES refused the email: ${error instanceof Error ? error.name : 'error'}`, { cause: error });
  }
  await markSent(deps, request.customerId, request.messageKey, messageId, sentAt);
  await countEngagement(deps, profile.customerId, 'sent');
  await countJourneyMessage(deps, request.origin, 'sent');
  await deps.announce({ type: 'outreach.sent', customer: customerRefOf(profile), request, messageId });
  return { status: 'sent', messageId };
}

/**
 * @throws SendDeferredError when the request should come back later (SES throttling, a busy claim)
 * @throws UnconfirmedSendError when an earlier attempt may have sent it already
 */
export async function sendEmail(deps: SenderDeps, request: SendRequest): Promise<SendOutcome> {
  for (let attempt = 0; attempt < MAX_STATE_ATTEMPTS; attempt++) {
    const now = deps.clock();
    const handled = await alreadyHandled(deps, request, now);
    if (handled) return handled;

    const profile = await readCurrentProfile(deps, request.customerId);
    if (profile?.erasure) {
      // No claim and no announcement: after an erasure nothing new is written about the person.
      await countJourneyMessage(deps, request.origin, skippedCounter('erased'));
      return { status: 'skipped', reason: 'erased' };
    }
    const [address, state] = await Promise.all([
      profile?.email ? readAddress(deps, emailHash(profile.email)) : Promise.resolve(undefined),
      readOutreachState(deps, profile?.customerId ?? request.customerId),
    ]);
    const decision = decide({
      request,
      ...(profile && { profile }),
      addressSuppressed: address?.suppressed !== undefined,
      marketingSentAt: state.marketingSentAt,
      now: now.getTime(),
      settings: deps.settings,
    });
    if (decision.action === 'skip') return skip(deps, request, profile, decision.reason, now);
    if (decision.action === 'recheck') {
      await deps.deferUntil({ ...request, rechecked: true }, decision.until);
      return { status: 'deferred', until: decision.until };
    }
    if (decision.action === 'defer') return defer(deps, request, profile, decision.until, now);
    if (!profile) return skip(deps, request, profile, 'no-email', now);

    const composed = await compose(deps, request, profile, now);
    if (!composed) return skip(deps, request, profile, 'render-failed', now);
    const outcome = await deliver(deps, request, profile, decision.to, composed, state, now);
    if (outcome !== 'retry') return outcome;
  }
  throw new SendDeferredError('the outreach state kept changing; try again');
}
