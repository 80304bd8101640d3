/**
 * Who the store holds, what happened to them, and what became of every email: customers and
 * anonymous visitors, events recorded and the stage changes they made, emails sent, deferred and
 * skipped by reason. The demo's summary and the report both take these figures from here.
 */
import type { MessageFacts, ProfileActivity } from './report-data.ts';
import type { EmailOutcomes } from './report.ts';

export function activityOf(profiles: readonly ProfileActivity[]): { anonymousVisitors: number; events: { recorded: number; stageChanges: number } } {
  return {
    anonymousVisitors: profiles.filter((profile) => !profile.identified).length,
    events: {
      recorded: profiles.reduce((sum, profile) => sum + profile.businessEvents, 0),
      stageChanges: profiles.reduce((sum, profile) => sum + profile.stageChanges, 0),
    },
  };
}

export function emailOutcomesOf(messages: readonly MessageFacts[]): EmailOutcomes {
  const skipped: Record<string, number> = {};
  for (const message of messages) if (message.status === 'skipped') skipped[message.reason ?? 'unknown'] = (skipped[message.reason ?? 'unknown'] ?? 0) + 1;
  return {
    sent: messages.filter((message) => message.status === 'sent').length,
    deferred: messages.filter((message) => message.status === 'deferred').length,
    sending: messages.filter((message) => message.status === 'sending').length,
    skipped,
    skippedTotal: Object.values(skipped).reduce((sum, count) => sum + count, 0),
  };
}
