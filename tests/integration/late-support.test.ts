/**
 * A support request that reaches the system days after the customer made it (a help-desk backlog,
 * a replay, a redrive after an outage) is still handled: escalated with its age at a priority the
 * age raises, and acknowledged by email. It runs through the whole stack on the virtual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '#shared/events/emitter.ts';
import { emitAndSettle, eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo, systemEvents, type SystemEvent } from '#tests/support/observe.ts';

// Noon in Seoul: the acknowledgement is not held for quiet hours (transactional email never is).
const NOW = Date.parse('2026-11-22T03:00:00Z');
const THREE_DAYS_AGO = new Date(NOW - 72 * 3_600_000).toISOString();
let test: TestCloud;
const seen: SystemEvent[] = [];

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: NOW });
});

afterAll(async () => {
  await test.stop();
});

describe('a support request that arrives late', () => {
  it('is escalated with its age and a raised priority, and the customer is told it arrived', async () => {
    const customer = { id: 'c-late', email: 'late-asker@example.com', timezone: 'Asia/Seoul', locale: 'en-US' };
    await emitAndSettle(test, [{ detailType: 'lead.captured', detail: { customer, data: { channel: 'web' } } } as EmitInput]);
    // A question the knowledge base answers at once when it is asked on time.
    const request = { requestId: 'r-late', channel: 'email', subject: 'Delivery', message: 'How long does delivery take?' };
    await emitAndSettle(test, [
      {
        detailType: 'support.requested',
        detail: { eventId: 'sr-late', occurredAt: THREE_DAYS_AGO, customer: { id: customer.id }, data: request },
      } as EmitInput,
    ]);

    const escalated = await eventually(async () => {
      await test.cloud.settle();
      return (await systemEvents(test, seen)).find((event) => event['detail-type'] === 'support.escalated' && event.detail.data.requestId === 'r-late');
    }, 'the escalation');
    const [acknowledgement] = await eventually(async () => {
      const emails = await emailsTo(test, customer.email);
      return emails.length > 0 ? emails : undefined;
    }, 'the acknowledgement');

    // 72 hours late: +2 points on an email from a customer with no orders (0 on time, low): high,
    // due 4 hours after it arrived, not 4 hours after it was made (long past).
    expect(escalated.detail.data).toEqual({
      requestId: 'r-late',
      priority: 'high',
      lateByHours: 72,
      slaDueAt: new Date(NOW + 4 * 3_600_000).toISOString(),
      reason: 'reached us 72 hours or more late (+2)',
    });
    expect(acknowledgement?.subject).toContain('r-late');
    expect(acknowledgement?.body.text).toContain("We're sorry it took a while to reach us");
    // Not answered from the knowledge base: a person answers it.
    expect(await emailsTo(test, customer.email)).toHaveLength(1);
    expect(seen.filter((event) => event['detail-type'] === 'support.resolved')).toEqual([]);
  });
});
