/**
 * Survey answers as CSAT (mean of 1–5 and the share of 4s and 5s) and NPS (% promoters, 9–10, minus
 * % detractors, 0–6): overall, per ISO week, by stage and by channel.
 */
import { STAGES } from '#shared/stages/stages.ts';
import { isoWeekOf, weeksBetween, type IsoWeek } from './iso-week.ts';
import type { SurveyFacts } from './report-data.ts';
import type { CsatFigures, NpsFigures, Satisfaction, SatisfactionSummary, WeekSatisfaction } from './report.ts';
import { groupBy, mean, ratio } from './statistics.ts';

export function satisfactionSummaryOf(surveys: readonly SurveyFacts[]): SatisfactionSummary {
  const answers = surveys.filter((survey) => Number.isFinite(survey.score));
  const byStage = groupBy(answers, (survey) => survey.stage);
  // Most answers first; answers without a channel last among equals.
  const byChannel = [...groupBy(answers, (survey) => survey.channel ?? null)]
    .map(([channel, group]) => ({ channel, ...satisfactionOf(group) }))
    .sort((a, b) => responses(b) - responses(a) || (a.channel ?? '\uffff').localeCompare(b.channel ?? '\uffff'));
  return {
    overall: satisfactionOf(answers),
    byWeek: weeklyOf(answers),
    byStage: STAGES.flatMap((stage) => {
      const group = byStage.get(stage);
      return group ? [{ stage, ...satisfactionOf(group) }] : [];
    }),
    byChannel,
  };
}

export function satisfactionOf(answers: readonly SurveyFacts[]): Satisfaction {
  return {
    csat: csatOf(answers.filter((answer) => answer.kind === 'csat').map((answer) => answer.score)),
    nps: npsOf(answers.filter((answer) => answer.kind === 'nps').map((answer) => answer.score)),
  };
}

export function csatOf(scores: readonly number[]): CsatFigures {
  return {
    responses: scores.length,
    average: mean(scores),
    satisfiedShare: ratio(scores.filter((score) => score >= 4).length, scores.length),
  };
}

export function npsOf(scores: readonly number[]): NpsFigures {
  const promoters = scores.filter((score) => score >= 9).length;
  const detractors = scores.filter((score) => score <= 6).length;
  const score = ratio(promoters - detractors, scores.length);
  return {
    responses: scores.length,
    promoters,
    passives: scores.length - promoters - detractors,
    detractors,
    score: score === null ? null : score * 100,
  };
}

function responses(row: Satisfaction): number {
  return row.csat.responses + row.nps.responses;
}

/** Every week from the first answer to the last; answers whose time is not a date are left out. */
function weeklyOf(answers: readonly SurveyFacts[]): WeekSatisfaction[] {
  const dated = answers.flatMap((answer) => {
    const week = isoWeekOf(answer.at);
    return week ? [{ answer, week }] : [];
  });
  const byWeek = groupBy(dated, ({ week }) => week.week);
  const weeks = dated.map(({ week }) => week).sort((a, b) => a.weekStart.localeCompare(b.weekStart));
  const first: IsoWeek | undefined = weeks[0];
  const last: IsoWeek | undefined = weeks.at(-1);
  if (!first || !last) return [];
  return weeksBetween(first, last).map((week) => ({
    ...week,
    ...satisfactionOf((byWeek.get(week.week) ?? []).map(({ answer }) => answer)),
  }));
}
