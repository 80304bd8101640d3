import { describe, expect, it } from 'vitest';
import { REPOSITORY_TEMPLATES_DIR, createRenderer } from '#shared/outreach/render.ts';
import { SendRequestV1 } from '#shared/outreach/request.ts';
import { newProfile } from '#shared/profile/profile.ts';
import { answerSupportRequest } from '#shared/stages/support-answer.ts';
import { createAnswerer } from '#shared/support/answerer.ts';
import { loadKnowledgeBase } from '#shared/support/knowledge-base.ts';
import { loadSynonyms } from '#shared/support/synonyms.ts';
import { catalogEvent } from '#tests/fixtures/events.ts';
import { readmeFreshnessHours } from '#tests/support/readme.ts';
import { parseEvent } from '#shared/events/parse.ts';

const answerer = createAnswerer({ entries: loadKnowledgeBase(), synonyms: loadSynonyms() });
const NOW = new Date('2026-11-22T12:00:00.000Z');
const request = (message: string, occurredAt = '2026-11-22T11:59:00Z', channel = 'email') =>
  catalogEvent('support.requested', {
    eventId: 'sr-1',
    occurredAt,
    customer: { id: 'c-1' },
    data: { requestId: 'r-77', channel, subject: 'A question', message },
  }) as Parameters<typeof answerSupportRequest>[0];

describe('answering a support request', () => {
  it('replies from the knowledge base and resolves the request, once per request', () => {
    const reactions = answerSupportRequest(request('How long does delivery take?'), 'c-1', newProfile('c-1', NOW.toISOString()), answerer, NOW);
    expect(reactions.outcome).toBe('answered');
    expect(reactions.sends).toMatchObject([
      {
        messageKey: 'support-reply:r-77',
        template: 'support-reply',
        kind: 'transactional',
        variables: { request: { requestId: 'r-77', subject: 'A question' } },
      },
    ]);
    expect(reactions.events).toMatchObject([
      { detailType: 'support.resolved', detail: { eventId: 'auto-answer-r-77', data: { requestId: 'r-77', answeredBy: 'knowledge-base' } } },
    ]);
    // What the workflow puts on the queue and the bus must pass the contracts.
    expect(SendRequestV1.safeParse(reactions.sends[0]).success).toBe(true);
    const resolved = reactions.events[0];
    expect(parseEvent({ detailType: resolved?.detailType, source: 'lifecycle', detail: resolved?.detail }).ok).toBe(true);
  });

  it('escalates what the knowledge base cannot answer, with a priority, an SLA and an acknowledgement', () => {
    const reactions = answerSupportRequest(
      request('I want to speak to a manager about my broken sofa, this is unacceptable', '2026-11-22T11:59:00Z', 'phone'),
      'c-1',
      undefined,
      answerer,
      NOW,
    );
    expect(reactions.outcome).toBe('escalated');
    const [escalated] = reactions.events;
    expect(escalated).toMatchObject({ detailType: 'support.escalated', detail: { eventId: 'escalated-r-77', data: { requestId: 'r-77' } } });
    const data = escalated?.detail.data as { priority: string; slaDueAt: string; reason: string };
    expect(['high', 'urgent']).toContain(data.priority);
    expect(Date.parse(data.slaDueAt)).toBeGreaterThan(Date.parse('2026-11-22T11:59:00Z'));
    expect(data.reason).not.toContain('sofa');
    expect(reactions.sends).toMatchObject([
      { messageKey: 'support-acknowledgement:r-77', template: 'support-acknowledgement', variables: { sla: { dueAt: data.slaDueAt } } },
    ]);
    expect(parseEvent({ detailType: escalated?.detailType, source: 'lifecycle', detail: escalated?.detail }).ok).toBe(true);
  });

  it('promises an answer after the acknowledgement is sent, for a request that reaches support a day late', async () => {
    // Made on Sunday, December 6 at 10:00 UTC, handled on Monday, December 7 at 09:00: a high
    // priority (phone +2, asks for a person +1) has 4 hours from when support has it, 13:00 on the 7th.
    const handledAt = new Date('2026-12-07T09:00:00Z');
    const late = request('I want to speak to a manager, please call me back', '2026-12-06T10:00:00Z', 'phone');

    const reactions = answerSupportRequest(late, 'c-1', undefined, answerer, handledAt);
    const email = await createRenderer({ templatesDir: REPOSITORY_TEMPLATES_DIR }).render({
      template: 'support-acknowledgement',
      locale: 'en-US',
      timezone: 'UTC',
      variables: { brand: { name: 'Oak & Co', url: 'https://shop.example.com' }, ...reactions.sends[0]?.variables },
    });

    expect(reactions.outcome).toBe('escalated');
    expect(reactions.events[0]?.detail.data).toMatchObject({ priority: 'high', slaDueAt: '2026-12-07T13:00:00.000Z' });
    expect(email.ok && email.email.text).toContain('will answer by Monday, December 7, 2026 at 1:00 PM UTC.');
  });

  it('escalates a request that arrives three days late, with its age and a higher priority, and acknowledges it instead of answering it', () => {
    // The knowledge base answers this question at once when it is asked on time (the first test).
    const late = answerSupportRequest(request('How long does delivery take?', '2026-11-19T11:00:00Z'), 'c-1', undefined, answerer, NOW);
    const onTime = answerSupportRequest(request('I have a question about a painting I saw', '2026-11-22T11:59:00Z'), 'c-1', undefined, answerer, NOW);

    expect(late).toMatchObject({ outcome: 'escalated-late', lateByHours: 73 });
    expect(late.events).toMatchObject([
      { detailType: 'support.escalated', detail: { eventId: 'escalated-r-77', data: { requestId: 'r-77', lateByHours: 73 } } },
    ]);
    const data = late.events[0]?.detail.data as { priority: string; slaDueAt: string; reason: string };
    // Email, no orders: 0 points and low priority on time; 73 hours late adds 2 (high), due 4 hours from arrival.
    expect(onTime.events[0]?.detail.data).toMatchObject({ priority: 'low' });
    expect(data).toMatchObject({ priority: 'high', slaDueAt: '2026-11-22T16:00:00.000Z', reason: 'reached us 72 hours or more late (+2)' });
    expect(late.sends).toMatchObject([
      {
        messageKey: 'support-acknowledgement:r-77',
        template: 'support-acknowledgement',
        variables: { request: { requestId: 'r-77', late: true }, sla: { dueAt: data.slaDueAt } },
      },
    ]);
    expect(late.events.map((event) => event.detailType)).not.toContain('support.resolved');
    expect(parseEvent({ detailType: 'support.escalated', source: 'lifecycle', detail: late.events[0]?.detail }).ok).toBe(true);
  });

  it('raises the priority of a request a day late by one step less than of one three days late', () => {
    const dayLate = answerSupportRequest(request('I have a question about a painting I saw', '2026-11-21T11:00:00Z'), 'c-1', undefined, answerer, NOW);

    expect(dayLate).toMatchObject({ outcome: 'escalated-late', lateByHours: 25 });
    expect(dayLate.events[0]?.detail.data).toMatchObject({
      priority: 'normal',
      lateByHours: 25,
      slaDueAt: '2026-11-23T12:00:00.000Z',
      reason: 'reached us 24 hours or more late (+1)',
    });
  });

  it('answers a request that arrives just under a day after it was made as any other', () => {
    expect(answerSupportRequest(request('How long does delivery take?', '2026-11-21T12:00:01Z'), 'c-1', undefined, answerer, NOW).outcome).toBe('answered');
  });

  it('answers from the knowledge base for as long as the README says, and escalates after', () => {
    const hours = readmeFreshnessHours().get('support.requested') ?? 0;
    const madeAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

    expect(hours, 'the README gives a limit for support.requested').toBeGreaterThan(0);
    expect(answerSupportRequest(request('How long does delivery take?', madeAgo(hours - 0.1)), 'c-1', undefined, answerer, NOW).outcome).toBe('answered');
    expect(answerSupportRequest(request('How long does delivery take?', madeAgo(hours + 0.1)), 'c-1', undefined, answerer, NOW).outcome).toBe('escalated-late');
  });
});
