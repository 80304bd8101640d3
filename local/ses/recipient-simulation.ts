/**
 * Simulated recipients: a share of the people who get an email open it, and a smaller share click
 * a link in it, as SES's open and click tracking would report. Without them every open and click
 * rate is 0% locally. Each email's fate is drawn from a seeded hash of what the email is (sender,
 * recipients, subject, tags, sending time) rather than of its random SES message id, so the same
 * email is opened or not on every run of the same seed.
 */
import { createHash } from 'node:crypto';
import type { SentEmail } from './sent-email.ts';

export interface RecipientBehaviour {
  /** The share of delivered emails opened, 0–1. @example 0.3 */
  readonly openRate: number;
  /** The share of delivered emails clicked (each of them opened too), 0–openRate. @example 0.05 */
  readonly clickRate: number;
  /** @default 1 */
  readonly seed?: number;
}

/** What a simulated recipient does: opens at `openAt`, and maybe clicks `link` at `clickAt`. */
export interface Engagement {
  readonly openAt: number;
  readonly click?: { readonly at: number; readonly link: string };
}

const MINUTE = 60_000;
/** Opens come within 12 hours of delivery; clicks within half an hour of the open. */
const OPEN_WITHIN_MS = 12 * 60 * MINUTE;
const CLICK_WITHIN_MS = 30 * MINUTE;

/** Checks the shares once, at start: a bad value is an error, not silently no engagement. */
export function checkBehaviour(behaviour: RecipientBehaviour): RecipientBehaviour {
  const { openRate, clickRate } = behaviour;
  if (!(openRate >= 0 && openRate <= 1)) throw new RangeError(`the open rate must be a share from 0 to 1, not ${openRate}`);
  if (!(clickRate >= 0 && clickRate <= openRate))
    throw new RangeError(`the click rate must be a share from 0 to the open rate (${openRate}), not ${clickRate}`);
  return behaviour;
}

/** A number in [0, 1) drawn from the seed, the email and what it is drawn for. */
function draw(seed: number, identity: string, what: string): number {
  return createHash('sha256').update(`${seed}\n${identity}\n${what}`).digest().readUInt32BE(0) / 2 ** 32;
}

function identityOf(email: SentEmail): string {
  const tags = email.tags.map((tag) => `${tag.Name}=${tag.Value}`).sort();
  return JSON.stringify([email.from, email.to, email.subject ?? '', tags, email.sentAt]);
}

/** Whether, when and what the recipients of a delivered email open and click; undefined when they leave it. */
export function engagementFor(email: SentEmail, deliveredAt: number, behaviour: RecipientBehaviour): Engagement | undefined {
  const seed = behaviour.seed ?? 1;
  const identity = identityOf(email);
  if (draw(seed, identity, 'open') >= behaviour.openRate) return undefined;
  const openAt = deliveredAt + MINUTE + Math.floor(draw(seed, identity, 'open-time') * OPEN_WITHIN_MS);
  // Clickers are a part of the openers: the chance to click once opened is clickRate / openRate.
  const link = email.links[Math.floor(draw(seed, identity, 'link') * email.links.length)];
  if (!link || draw(seed, identity, 'click') * behaviour.openRate >= behaviour.clickRate) return { openAt };
  return { openAt, click: { at: openAt + MINUTE + Math.floor(draw(seed, identity, 'click-time') * CLICK_WITHIN_MS), link } };
}
