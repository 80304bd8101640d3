/**
 * Signed unsubscribe tokens (see signed-token.ts): `v1.<payload>.<signature>`, the payload naming
 * the customer, the topic (or `all`) and an expiry.
 */
import * as z from 'zod';
import { TOPICS } from '../events/fields.ts';
import { signPayload, verifyPayload, type VerifyFailure } from './signed-token.ts';

export interface TokenClaims {
  readonly customerId: string;
  readonly topic: (typeof TOPICS)[number] | 'all';
  /** Epoch seconds. */
  readonly expiresAt: number;
}

const payload = z.object({ c: z.string().min(1).max(200), t: z.enum([...TOPICS, 'all']), x: z.number().int() });

export function signToken(claims: TokenClaims, secret: string): string {
  return signPayload('v1', { c: claims.customerId, t: claims.topic, x: claims.expiresAt }, secret);
}

export type Verified = { readonly ok: true; readonly claims: TokenClaims } | VerifyFailure;

/** @param secrets - the current secret first, then older ones still accepted */
export function verifyToken(token: string, secrets: readonly string[], nowSeconds: number): Verified {
  const result = verifyPayload(token, { version: 'v1', schema: payload }, secrets, nowSeconds);
  if (!result.ok) return result;
  return { ok: true, claims: { customerId: result.payload.c, topic: result.payload.t, expiresAt: result.payload.x } };
}
