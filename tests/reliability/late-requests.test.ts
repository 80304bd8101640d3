/**
 * A support request that reaches the system days after the customer made it (a help-desk backlog,
 * a replay, a redrive after an outage) is still handled: escalated with its age at a priority the
 * age raises, and acknowledged by email. One asked on time is the control: the knowledge base
 * answers it and nobody is paged. It runs through the whole stack on the virtual clock.
 *
 * The expected priorities and due times are worked out by hand from the escalation table in
 * shared/support/escalation.ts (an email from a customer with no orders scores 0 points):
 *
 *   | late by | points      | priority | due (from arrival) |
 *   |---------|-------------|----------|--------------------|
 *   | 30 h    | +1 (≥ 24 h) | normal   | 24 h               |
 *   | 72 h    | +2 (≥ 72 h) | high     | 4 h                |
 *   | 240 h   | +2 (≥ 72 h) | high     | 4 h                |
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '#shared/events/emitter.ts';
import { emitAndSettle, eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo, systemEvents, type SystemEvent } from '#tests/support/observe.ts';
import { recordCount } from './support/counts.ts';

// Noon in Seoul: the acknowledgements are not held for quiet hours (transactional email never is).
const NOW = Date.parse('2026-11-22T03:00:00Z');
const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(NOW - hours * HOUR).toISOString();
const due = (hours: number) => new Date(NOW + hours * HOUR).toISOString();

/** A question the knowledge base answers at once when it is asked on time. */
const QUESTION = { channel: 'email', subject: 'Delivery', message: 'How long does delivery take?' };

const LATE = [
  { lateBy: 30, expected: { priority: 'normal', lateByHours: 30, slaDueAt: due(24), reason: 'reached us 24 hours or more late (+1)' } },
  { lateBy: 72, expected: { priority: 'high', lateByHours: 72, slaDueAt: due(4), reason: 'reached us 72 hours or more late (+2)' } },
  { lateBy: 240, expected: { priority: 'high', lateByHours: 240, slaDueAt: due(4), reason: 'reached us 72 hours or more late (+2)' } },
] as const;

let test: TestCloud;
const seen: SystemEvent[] = [];
const customerOf = (name: string) => ({ id: `c-${name}`, email: `${name}@example.com`, timezone: 'Asia/Seoul', locale: 'en-US' });

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: NOW });
  const names = ['on-time', ...LATE.map(({ lateBy }) => `late-${lateBy}`)];
  await emitAndSettle(
    test,
    names.map((name) => ({ detailType: 'lead.captured', detail: { customer: customerOf(name), data: { channel: 'web' } } }) as EmitInput),
  );
  await emitAndSettle(test, [request('on-time', 0), ...LATE.map(({ lateBy }) => request(`late-${lateBy}`, lateBy))]);
  await eventually(async () => {
    await test.cloud.settle();
    const events = await systemEvents(test, seen);
    return events.filter((event) => event['detail-type'] === 'support.escalated').length >= LATE.length || undefined;
  }, 'the escalations');
});

afterAll(async () => {
  await test.stop();
});

function request(name: string, lateBy: number): EmitInput {
  return {
    detailType: 'support.requested',
    detail: { eventId: `sr-${name}`, occurredAt: hoursAgo(lateBy), customer: { id: `c-${name}` }, data: { requestId: `r-${name}`, ...QUESTION } },
  } as EmitInput;
}

const eventsAbout = (type: string, requestId: string) => seen.filter((event) => event['detail-type'] === type && event.detail.data.requestId === requestId);

describe('support requests that arrive late', () => {
  it.each(LATE)('$lateBy hours late: escalated with its age at the priority it raises, and acknowledged', async ({ lateBy, expected }) => {
    const name = `late-${lateBy}`;
    const [escalated, ...more] = eventsAbout('support.escalated', `r-${name}`);
    expect(more).toEqual([]);
    expect(escalated?.detail.data).toEqual({ requestId: `r-${name}`, ...expected });
    // Heard back once: an acknowledgement, not an answer from the knowledge base (a person answers).
    const emails = await eventually(async () => {
      const found = await emailsTo(test, customerOf(name).email);
      return found.length > 0 ? found : undefined;
    }, 'the acknowledgement');
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toContain(`r-${name}`);
    expect(emails[0]?.body.text).toContain("We're sorry it took a while to reach us");
    expect(eventsAbout('support.resolved', `r-${name}`)).toEqual([]);
  });

  it('one asked on time is answered from the knowledge base, and nobody is paged', async () => {
    expect(eventsAbout('support.escalated', 'r-on-time')).toEqual([]);
    expect(eventsAbout('support.resolved', 'r-on-time')).toHaveLength(1);
    const emails = await emailsTo(test, customerOf('on-time').email);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.body.text).not.toContain("We're sorry it took a while to reach us");
  });

  it('counts the late requests that were still handled', () => {
    const handled = LATE.filter(({ lateBy }) => eventsAbout('support.escalated', `r-late-${lateBy}`).length === 1);
    expect(handled).toHaveLength(LATE.length);
    recordCount('late requests still handled', handled.length);
  });
});
