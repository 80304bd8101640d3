/**
 * Forged link tokens, generated: what someone without the signing secret can make from nothing or
 * from a genuine token they hold (an email they received), plus tokens signed with the genuine
 * secret that must still be refused — expired, or signed for the other kind of link. Each comes
 * with its kind, so a run can say how many of each it tried.
 */
import fc from 'fast-check';
import { TOPICS } from '#shared/events/fields.ts';
import { signPayload } from '#shared/outreach/signed-token.ts';
import { signSurveyToken } from '#shared/outreach/survey-token.ts';
import { signToken } from '#shared/outreach/unsubscribe-token.ts';

export interface Forgery {
  readonly kind: string;
  readonly token: string;
}

export interface Genuine {
  readonly customerId: string;
  /** The stack's signing secret: only for tokens that are signed right yet must be refused. */
  readonly secret: string;
  /** The system's now, in epoch seconds. */
  readonly nowSeconds: number;
}

const YEAR = 365 * 24 * 60 * 60;
const base64url = (text: string) => Buffer.from(text).toString('base64url');
const decode = (body: string) => JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((array) => Buffer.from(array).toString('base64url'));
const otherSecret = (genuine: Genuine) => fc.string({ minLength: 1, maxLength: 64 }).filter((secret) => secret !== genuine.secret);
const customerIds = (genuine: Genuine) => fc.oneof(fc.constant(genuine.customerId), fc.stringMatching(/^c-[a-z0-9]{1,12}$/));
const futureExpiry = (genuine: Genuine) => fc.integer({ min: genuine.nowSeconds + 60, max: genuine.nowSeconds + 10 * YEAR });
const pastExpiry = (genuine: Genuine) => fc.integer({ min: genuine.nowSeconds - 10 * YEAR, max: genuine.nowSeconds });

/** Replaces one character of a signature with another of the base64url alphabet. */
const tamperedSignature = (signature: string) =>
  fc
    .tuple(fc.nat({ max: Math.max(0, signature.length - 1) }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'))
    .map(([at, char]) => {
      const changed = `${signature.slice(0, at)}${char}${signature.slice(at + 1)}`;
      // Same character drawn: flip the case of the whole signature instead, which changes its bytes.
      return changed === signature ? signature.replace(/[a-z]/, (c) => c.toUpperCase()) : changed;
    });

/** Ways to break a genuine token's shape: other versions, missing or extra parts. */
function reshaped(token: string): fc.Arbitrary<Forgery> {
  const [version = '', body = '', signature = ''] = token.split('.');
  return fc.oneof(
    fc
      .constantFrom('v0', 'v1', 'v2', 'V1', 's0', 's1', 'S1', '', `${version} `)
      .filter((other) => other !== version)
      .map((other) => ({ kind: 'other version', token: [other, body, signature].join('.') })),
    fc
      .constantFrom(`${version}.${body}`, `${version}.${body}.`, `${version}..${signature}`, `${token}.x`, `.${token}`, `${token}=`, body)
      .map((shape) => ({ kind: 'broken shape', token: shape })),
  );
}

/** Forgeries of the unsubscribe and preference links' token (`v1`), from one genuine token. */
export function unsubscribeForgeries(genuine: Genuine): fc.Arbitrary<Forgery> {
  const real = signToken({ customerId: genuine.customerId, topic: 'newsletter', expiresAt: genuine.nowSeconds + 90 * 24 * 60 * 60 }, genuine.secret);
  const [, body = '', signature = ''] = real.split('.');
  const claims = decode(body);
  return fc.oneof(
    fc.string({ maxLength: 300, unit: 'binary' }).map((token) => ({ kind: 'random text', token })),
    fc.tuple(bytes(1, 120), bytes(0, 48)).map(([payload, sig]) => ({ kind: 'random parts', token: `v1.${payload}.${sig}` })),
    fc
      .record({
        customerId: customerIds(genuine),
        topic: fc.constantFrom(...TOPICS, 'all' as const),
        expiresAt: futureExpiry(genuine),
        secret: otherSecret(genuine),
      })
      .map(({ secret, ...claim }) => ({ kind: 'wrong secret', token: signToken(claim, secret) })),
    fc
      .record({ c: customerIds(genuine), t: fc.constantFrom(...TOPICS, 'all'), x: futureExpiry(genuine) }, { requiredKeys: [] })
      .filter((changes) => Object.entries(changes).some(([key, value]) => claims[key] !== value))
      .map((changes) => ({ kind: 'altered claims', token: `v1.${base64url(JSON.stringify({ ...claims, ...changes }))}.${signature}` })),
    tamperedSignature(signature).map((sig) => ({ kind: 'altered signature', token: `v1.${body}.${sig}` })),
    reshaped(real),
    fc
      .record({ topic: fc.constantFrom(...TOPICS, 'all' as const), expiresAt: pastExpiry(genuine) })
      .map((claim) => ({ kind: 'expired', token: signToken({ customerId: genuine.customerId, ...claim }, genuine.secret) })),
    fc.constantFrom('nps' as const, 'csat' as const).map((kind) => ({
      kind: 'survey token',
      token: signSurveyToken({ customerId: genuine.customerId, surveyId: 'survey-1', kind, expiresAt: genuine.nowSeconds + YEAR }, genuine.secret),
    })),
    // The right version and claims, signed for another purpose: the signature covers the purpose.
    futureExpiry(genuine).map((x) => ({
      kind: 'other purpose',
      token: signPayload('v1', { c: genuine.customerId, t: 'newsletter', x }, genuine.secret, 'survey'),
    })),
  );
}

/** Forgeries of the one-click survey links' token (`s1`). */
export function surveyForgeries(genuine: Genuine): fc.Arbitrary<Forgery> {
  const real = signSurveyToken({ customerId: genuine.customerId, surveyId: 'survey-1', kind: 'csat', expiresAt: genuine.nowSeconds + YEAR }, genuine.secret);
  const [, body = '', signature = ''] = real.split('.');
  const claims = decode(body);
  return fc.oneof(
    fc.string({ maxLength: 300, unit: 'binary' }).map((token) => ({ kind: 'random text', token })),
    fc
      .record({
        customerId: customerIds(genuine),
        surveyId: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        kind: fc.constantFrom('nps' as const, 'csat' as const),
        expiresAt: futureExpiry(genuine),
        secret: otherSecret(genuine),
      })
      .map(({ secret, ...claim }) => ({ kind: 'wrong secret', token: signSurveyToken(claim, secret) })),
    fc
      .record(
        { c: customerIds(genuine), s: fc.stringMatching(/^[a-z0-9-]{1,20}$/), k: fc.constantFrom('nps', 'csat'), x: futureExpiry(genuine) },
        { requiredKeys: [] },
      )
      .filter((changes) => Object.entries(changes).some(([key, value]) => claims[key] !== value))
      .map((changes) => ({ kind: 'altered claims', token: `s1.${base64url(JSON.stringify({ ...claims, ...changes }))}.${signature}` })),
    tamperedSignature(signature).map((sig) => ({ kind: 'altered signature', token: `s1.${body}.${sig}` })),
    reshaped(real),
    pastExpiry(genuine).map((expiresAt) => ({
      kind: 'expired',
      token: signSurveyToken({ customerId: genuine.customerId, surveyId: 'survey-1', kind: 'csat', expiresAt }, genuine.secret),
    })),
    // An unsubscribe token relabelled as a survey token: signed without the survey purpose.
    futureExpiry(genuine).map((x) => ({
      kind: 'other purpose',
      token: signPayload('s1', { c: genuine.customerId, s: 'survey-1', k: 'csat', x }, genuine.secret),
    })),
  );
}
