/**
 * The survey link behind each score in a survey email: `GET <survey URL>?token=…&score=N`
 * records the answer with one click and thanks the customer; the page offers the other scores
 * in case of a slip (the profile keeps the latest answer). Each (survey, customer, score) is
 * recorded once however often the link is opened. A forged, altered or expired token, or a score
 * outside the survey's range, gets 403 or 400 and records nothing.
 */
import { createHash } from 'node:crypto';
import { escapeHtml, invalidLinkPage, linkPage } from './link-page.ts';
import { SURVEY_SCORES, verifySurveyToken, type SurveyClaims } from './survey-token.ts';

export interface SurveyAnswerDeps {
  readonly clock: () => Date;
  /** The current secret first, then the previous one. */
  readonly secrets: () => Promise<readonly string[]>;
  /** Records `survey.responded` for the customer (an idempotent event id is given). */
  readonly recordAnswer: (claims: SurveyClaims, score: number, eventId: string) => Promise<void>;
  readonly brandName: string;
}

export interface SurveyAnswerResponse {
  readonly status: number;
  readonly html: string;
}

export const surveyAnswerEventId = (claims: Pick<SurveyClaims, 'customerId' | 'surveyId'>, score: number): string =>
  `survey-${createHash('sha256').update(`${claims.surveyId}:${claims.customerId}:${score}`).digest('hex').slice(0, 32)}`;

export async function handleSurveyAnswer(
  deps: SurveyAnswerDeps,
  request: { readonly token: string | undefined; readonly score: string | undefined },
): Promise<SurveyAnswerResponse> {
  if (!request.token) return invalidLinkPage(deps.brandName);
  const verified = verifySurveyToken(request.token, await deps.secrets(), Math.floor(deps.clock().getTime() / 1000));
  if (!verified.ok) return invalidLinkPage(deps.brandName);
  const { claims } = verified;
  const scores: readonly number[] = SURVEY_SCORES[claims.kind];
  const score = Number(request.score);
  if (!/^\d{1,2}$/.test(request.score ?? '') || !scores.includes(score)) {
    return {
      status: 400,
      html: linkPage(deps.brandName, 'That score is not on the scale', `<p>Please choose a score from ${scores[0]} to ${scores.at(-1)}.</p>`),
    };
  }
  await deps.recordAnswer(claims, score, surveyAnswerEventId(claims, score));
  const others = scores
    .filter((other) => other !== score)
    .map((other) => `<a href="?token=${encodeURIComponent(request.token ?? '')}&amp;score=${other}">${other}</a>`)
    .join(' ');
  return {
    status: 200,
    html: linkPage(
      deps.brandName,
      'Thank you for your answer',
      `<p>You gave us ${escapeHtml(String(score))} out of ${scores.at(-1)}.</p><p>Slipped? Choose again: ${others}</p>`,
    ),
  };
}
