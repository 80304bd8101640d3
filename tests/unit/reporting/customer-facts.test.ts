import { describe, expect, it } from 'vitest';
import { newProfile, type Profile } from '#shared/profile/profile.ts';
import type { TimelineEntry } from '#shared/profile/timeline.ts';
import { customerFacts, supportFacts, surveyFacts } from '#shared/reporting/customer-facts.ts';

const at = (day: number, hour = 0) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
const entry = (detailType: string, occurredAt: string, data: Record<string, unknown> = {}, extra: Partial<TimelineEntry> = {}): TimelineEntry =>
  ({
    customerId: 'c-1',
    eventId: `${detailType}-${occurredAt}`,
    detailType,
    source: 'test',
    occurredAt,
    recordedAt: occurredAt,
    version: 1,
    data,
    ...extra,
  }) as TimelineEntry;

const profile: Profile = {
  ...newProfile('c-1', at(1)),
  stage: 'retain',
  attribution: { first: { channel: 'instagram', at: at(1) }, last: { channel: 'instagram', at: at(1) } },
};
const timeline = [
  entry('product.viewed', at(2), {}, { stageChange: { from: 'discover', to: 'research', reason: 'r' } }),
  entry('order.placed', at(5), {}, { stageChange: { from: 'research', to: 'buy', reason: 'r' } }),
  entry('order.delivered', at(6), {}, { stageChange: { from: 'buy', to: 'use', reason: 'r' } }),
  entry('support.requested', at(10), { requestId: 'r-1', channel: 'chat' }, { stageChange: { from: 'use', to: 'support', reason: 'r' } }),
  // Reported two hours late, answered by the knowledge base a minute after it arrived.
  entry('support.requested', at(11), { requestId: 'r-2', channel: 'email' }, { recordedAt: at(11, 2) }),
  entry('support.resolved', at(11, 2), { requestId: 'r-2', answeredBy: 'knowledge-base' }),
  entry('support.resolved', at(12), { requestId: 'r-1', answeredBy: 'agent' }, { stageChange: { from: 'support', to: 'use', reason: 'r' } }),
  entry('survey.responded', at(14), { kind: 'nps', score: 9 }, { stageChange: { from: 'use', to: 'retain', reason: 'r' } }),
];

describe("a customer's facts for the report", () => {
  it('follows the stages from first sight, with the days spent in each up to now', () => {
    const facts = customerFacts(profile, timeline, new Date(at(20)));
    expect(facts.stagesReached).toEqual(['discover', 'research', 'buy', 'use', 'support', 'retain']);
    // discover 1→2, research 2→5, buy 5→6, use 6→10 and 12→14, support 10→12, retain 14→20.
    expect(facts.daysInStage).toEqual({ discover: 1, research: 3, buy: 1, use: 6, support: 2, retain: 6 });
    expect(facts.channel).toBe('instagram');
  });

  it('tells automatic answers from escalations, timing automatic ones from their arrival', () => {
    expect(supportFacts(timeline)).toEqual([
      { requestedAt: at(10), channel: 'chat', outcome: 'escalated', firstAnswerSeconds: 2 * 86_400 },
      { requestedAt: at(11), channel: 'email', outcome: 'auto-answered', firstAnswerSeconds: 0 },
    ]);
    expect(supportFacts([entry('support.requested', at(10), { requestId: 'r-3', channel: 'web' })])).toEqual([
      { requestedAt: at(10), channel: 'web', outcome: 'escalated' },
    ]);
  });

  it('files a survey answer under the stage the customer was in when answering', () => {
    expect(surveyFacts(profile, timeline)).toEqual([{ kind: 'nps', score: 9, at: at(14), stage: 'use', channel: 'instagram' }]);
  });
});
