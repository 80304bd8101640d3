/**
 * Signed survey links (see signed-token.ts): one link per score, so the customer answers with one
 * click. The token names the customer, the survey and its kind; the score travels beside it in the
 * link and is checked against the kind's range when the answer is recorded.
 */
import * as z from 'zod';
import { SURVEY_KINDS } from '../events/types/retain.ts';
import { signPayload, verifyPayload, type VerifyFailure } from './signed-token.ts';

export interface SurveyClaims {
  readonly customerId: string;
  readonly surveyId: string;
  readonly kind: (typeof SURVEY_KINDS)[number];
  /** Epoch seconds. */
  readonly expiresAt: number;
}

const VERSION = 's1';
const PURPOSE = 'survey';
const payload = z.object({ c: z.string().min(1).max(200), s: z.string().min(1).max(200), k: z.enum(SURVEY_KINDS), x: z.number().int() });

export const SURVEY_SCORES = { csat: [1, 2, 3, 4, 5], nps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } as const;

export function signSurveyToken(claims: SurveyClaims, secret: string): string {
  return signPayload(VERSION, { c: claims.customerId, s: claims.surveyId, k: claims.kind, x: claims.expiresAt }, secret, PURPOSE);
}

export function verifySurveyToken(
  token: string,
  secrets: readonly string[],
  nowSeconds: number,
): { readonly ok: true; readonly claims: SurveyClaims } | VerifyFailure {
  const result = verifyPayload(token, { version: VERSION, schema: payload, purpose: PURPOSE }, secrets, nowSeconds);
  if (!result.ok) return result;
  return { ok: true, claims: { customerId: result.payload.c, surveyId: result.payload.s, kind: result.payload.k, expiresAt: result.payload.x } };
}

/** One link per score: `<surveyUrl>?token=…&score=N`. */
export function surveyLinks(surveyUrl: string, claims: SurveyClaims, secret: string): { score: number; url: string }[] {
  const token = signSurveyToken(claims, secret);
  return SURVEY_SCORES[claims.kind].map((score) => {
    const url = new URL(surveyUrl);
    url.searchParams.set('token', token);
    url.searchParams.set('score', String(score));
    return { score, url: url.toString() };
  });
}
