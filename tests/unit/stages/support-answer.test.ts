import { describe, expect, it } from 'vitest';
import { SendRequestV1 } from '#shared/outreach/request.ts';
import { newProfile } from '#shared/profile/profile.ts';
import { answerSupportRequest } from '#shared/stages/support-answer.ts';
import { createAnswerer } from '#shared/support/answerer.ts';
import { loadKnowledgeBase } from '#shared/support/knowledge-base.ts';
import { loadSynonyms } from '#shared/support/synonyms.ts';
import { catalogEvent } from '#tests/fixtures/events.ts';
import { parseEvent } from '#shared/events/parse.ts';

const answerer = createAnswerer({ entries: loadKnowledgeBase(), synonyms: loadSynonyms() });
const NOW = new Date('2026-11-22T12:00:00.000Z');
const request = (message: string, occurredAt = '2026-11-22T11:59:00Z', channel = 'email') =>
  catalogEvent('support.requested', { eventId: 'sr-1', occurredAt, customer: { id: 'c-1' }, data: { requestId: 'r-77', channel, subject: 'A question', message } }) as Parameters<typeof answerSupportRequest>[0];

describe('answering a support request', () => {
  it('replies from the knowledge base and resolves the request, once per request', () => {
    const reactions = answerSupportRequest(request('How long does delivery take?'), 'c-1', newProfile('c-1', NOW.toISOString()), answerer, NOW);
    expect(reactions.outcome).toBe('answered');
    expect(reactions.sends).toMatchObject([{ messageKey: 'support-reply:r-77', template: 'support-reply', kind: 'transactional', variables: { request: { requestId: 'r-77', subject: 'A question' } } }]);
    expect(reactions.events).toMatchObject([{ detailType: 'support.resolved', detail: { eventId: 'auto-answer-r-77', data: { requestId: 'r-77', answeredBy: 'knowledge-base' } } }]);
    // What the workflow puts on the queue and the bus must pass the contracts.
    expect(SendRequestV1.safeParse(reactions.sends[0]).success).toBe(true);
    const resolved = reactions.events[0];
    expect(parseEvent({ detailType: resolved?.detailType, source: 'lifecycle', detail: resolved?.detail }).ok).toBe(true);
  });

  it('escalates what the knowledge base cannot answer, with a priority, an SLA and an acknowledgement', () => {
    const reactions = answerSupportRequest(request('I want to speak to a manager about my broken sofa, this is unacceptable', '2026-11-22T11:59:00Z', 'phone'), 'c-1', undefined, answerer, NOW);
    expect(reactions.outcome).toBe('escalated');
    const [escalated] = reactions.events;
    expect(escalated).toMatchObject({ detailType: 'support.escalated', detail: { eventId: 'escalated-r-77', data: { requestId: 'r-77' } } });
    const data = escalated?.detail.data as { priority: string; slaDueAt: string; reason: string };
    expect(['high', 'urgent']).toContain(data.priority);
    expect(Date.parse(data.slaDueAt)).toBeGreaterThan(Date.parse('2026-11-22T11:59:00Z'));
    expect(data.reason).not.toContain('sofa');
    expect(reactions.sends).toMatchObject([{ messageKey: 'support-acknowledgement:r-77', template: 'support-acknowledgement', variables: { sla: { dueAt: data.slaDueAt } } }]);
    expect(parseEvent({ detailType: escalated?.detailType, source: 'lifecycle', detail: escalated?.detail }).ok).toBe(true);
  });

  it('leaves a request made days ago to the help desk', () => {
    const stale = answerSupportRequest(request('How long does delivery take?', '2026-11-20T10:00:00Z'), 'c-1', undefined, answerer, NOW);
    // Neither answered nor escalated; the acknowledgement is asked for already too old, so the sender logs it as skipped.
    expect(stale).toMatchObject({ outcome: 'stale', events: [] });
    expect(stale.sends).toHaveLength(1);
    expect(stale.sends[0]).toMatchObject({ template: 'support-acknowledgement', newsUntil: '2026-11-21T10:00:00.000Z' });
    expect(Date.parse(stale.sends[0]?.newsUntil ?? '')).toBeLessThan(NOW.getTime());
    expect(SendRequestV1.safeParse(stale.sends[0]).success).toBe(true);
  });
});
