/**
 * Support figures: how many requests, how many the automatic reply settled, how many wait for the
 * help desk (open) or came too late to act on, and how long customers
 * waited for a first answer (median and 90th percentile), overall, by outcome and by channel.
 */
import type { SupportRequestFacts } from './report-data.ts';
import type { AnswerTimes, SupportChannel, SupportSummary } from './report.ts';
import { groupBy, percentile, ratio } from './statistics.ts';

export function supportSummaryOf(requests: readonly SupportRequestFacts[]): SupportSummary {
  const autoAnswered = requests.filter((request) => request.outcome === 'auto-answered');
  const escalated = requests.filter((request) => request.outcome === 'escalated');
  const byChannel: SupportChannel[] = [...groupBy(requests, (request) => request.channel)]
    .map(([channel, group]) => ({ channel, requests: group.length, automationRate: automationRateOf(group), p50: answerTimesOf(group).p50 }))
    .sort((a, b) => b.requests - a.requests || a.channel.localeCompare(b.channel));
  return {
    requests: requests.length,
    autoAnswered: autoAnswered.length,
    escalated: escalated.length,
    open: escalated.filter((request) => request.firstAnswerSeconds === undefined).length,
    automationRate: automationRateOf(requests),
    firstAnswer: { all: answerTimesOf(requests), automatic: answerTimesOf(autoAnswered), escalated: answerTimesOf(escalated) },
    byChannel,
  };
}

/** auto-answered / (auto-answered + escalated). */
function automationRateOf(requests: readonly SupportRequestFacts[]): number | null {
  const auto = requests.filter((request) => request.outcome === 'auto-answered').length;
  const escalated = requests.filter((request) => request.outcome === 'escalated').length;
  return ratio(auto, auto + escalated);
}

function answerTimesOf(requests: readonly SupportRequestFacts[]): AnswerTimes {
  const seconds = requests.flatMap((request) =>
    request.firstAnswerSeconds !== undefined && Number.isFinite(request.firstAnswerSeconds) ? [request.firstAnswerSeconds] : [],
  );
  return { answered: seconds.length, p50: percentile(seconds, 0.5), p90: percentile(seconds, 0.9) };
}
