/**
 * Voice of the Customer on the profile: the latest NPS and CSAT answer (every answer stays on the
 * timeline, for scores over time) and the state of the customer's subscription. The latest by the
 * time it was given wins, so late events never overwrite newer answers.
 */
export interface SurveyAnswer {
  readonly surveyId: string;
  readonly score: number;
  readonly at: string;
}

export interface Surveys {
  readonly nps?: SurveyAnswer;
  readonly csat?: SurveyAnswer;
}

export interface Subscription {
  readonly plan: string;
  readonly status: 'active' | 'cancelled';
  readonly at: string;
}

const newer = <T extends { readonly at: string }>(current: T | undefined, candidate: T | undefined): T | undefined =>
  !current || (candidate && Date.parse(candidate.at) >= Date.parse(current.at)) ? (candidate ?? current) : current;

export function addSurveyAnswer(surveys: Surveys | undefined, kind: 'nps' | 'csat', answer: SurveyAnswer): Surveys {
  return { ...surveys, [kind]: newer(surveys?.[kind], answer) };
}

export function mergeSurveys(a: Surveys | undefined, b: Surveys | undefined): Surveys | undefined {
  if (!a || !b) return a ?? b;
  const nps = newer(a.nps, b.nps);
  const csat = newer(a.csat, b.csat);
  return { ...(nps && { nps }), ...(csat && { csat }) };
}

export function updateSubscription(current: Subscription | undefined, next: Subscription): Subscription {
  return newer(current, next) ?? next;
}

export const mergeSubscription = (a: Subscription | undefined, b: Subscription | undefined): Subscription | undefined => newer(a, b);
