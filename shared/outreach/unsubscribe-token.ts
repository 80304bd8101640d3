/**
 * Signed unsubscribe tokens: `v1.<payload>.<signature>`, the payload naming the customer, the
 * topic (or `all`) and an expiry, the signature an HMAC-SHA256 of it with a secret the stack keeps
 * in Secrets Manager. Verification accepts the current and the previous secret, so rotating it
 * does not break links already sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { TOPICS } from '../events/fields.ts';

export interface TokenClaims {
  readonly customerId: string;
  readonly topic: (typeof TOPICS)[number] | 'all';
  /** Epoch seconds. */
  readonly expiresAt: number;
}

const payload = z.object({ c: z.string().min(1).max(200), t: z.enum([...TOPICS, 'all']), x: z.number().int() });

const sign = (body: string, secret: string): Buffer => createHmac('sha256', secret).update(body).digest();

export function signToken(claims: TokenClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify({ c: claims.customerId, t: claims.topic, x: claims.expiresAt })).toString('base64url');
  return `v1.${body}.${sign(body, secret).toString('base64url')}`;
}

export type Verified = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

/** @param secrets - the current secret first, then older ones still accepted */
export function verifyToken(token: string, secrets: readonly string[], nowSeconds: number): Verified {
  const [version, body, signature, extra] = token.split('.');
  if (version !== 'v1' || !body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const valid = secrets.some((secret) => {
    const expected = sign(body, secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) return { ok: false, reason: 'bad-signature' };
  let parsed: z.infer<typeof payload>;
  try {
    parsed = payload.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (parsed.x <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { customerId: parsed.c, topic: parsed.t, expiresAt: parsed.x } };
}
