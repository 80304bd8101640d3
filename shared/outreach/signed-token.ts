/**
 * Signed link tokens: `<version>.<payload>.<signature>`, the payload base64url JSON with an expiry
 * `x` (epoch seconds), the signature an HMAC-SHA256 with a secret the stack keeps in Secrets
 * Manager. Verification accepts the current and older secrets, so rotating the secret does not
 * break links already sent. A `purpose` goes into the signed text, so a token signed for one kind
 * of link (a survey answer) can never pass for another (an unsubscribe).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type * as z from 'zod';

export type VerifyFailure = { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

const sign = (text: string, secret: string): Buffer => createHmac('sha256', secret).update(text).digest();
const signedText = (body: string, purpose: string | undefined) => (purpose ? `${purpose}:${body}` : body);

export function signPayload(version: string, payload: Readonly<Record<string, unknown>> & { readonly x: number }, secret: string, purpose?: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${version}.${body}.${sign(signedText(body, purpose), secret).toString('base64url')}`;
}

/** @param secrets - the current secret first, then older ones still accepted */
export function verifyPayload<T extends { readonly x: number }>(
  token: string,
  expected: { readonly version: string; readonly schema: z.ZodType<T>; readonly purpose?: string },
  secrets: readonly string[],
  nowSeconds: number,
): { readonly ok: true; readonly payload: T } | VerifyFailure {
  const [version, body, signature, extra] = token.split('.');
  if (version !== expected.version || !body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  // Decoding forgives padding and stray bits; only the one encoding the signer writes is accepted,
  // so that no altered token string passes, even one that decodes to the same bytes.
  if (given.toString('base64url') !== signature) return { ok: false, reason: 'malformed' };
  const valid = secrets.some((secret) => {
    const wanted = sign(signedText(body, expected.purpose), secret);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  });
  if (!valid) return { ok: false, reason: 'bad-signature' };
  let payload: T;
  try {
    payload = expected.schema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (payload.x <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
