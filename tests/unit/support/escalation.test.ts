import { describe, expect, it } from 'vitest';
import { escalationFor, SLA_HOURS, type EscalationRequest } from '#shared/support/escalation.ts';

const receivedAt = '2026-03-02T09:15:00.000Z';
const request = (overrides: Partial<EscalationRequest>): EscalationRequest => ({
  channel: 'email',
  message: 'Where can I download the invoice for my order?',
  receivedAt,
  customer: { orders: 2, revenue: 300 },
  ...overrides,
});

describe('the priority of an escalated request', () => {
  it('documents the SLA of each priority in hours', () => {
    expect(SLA_HOURS).toEqual({ urgent: 1, high: 4, normal: 24, low: 72 });
  });

  it('is normal, due in 24 hours, for an ordinary written question from a customer', () => {
    expect(escalationFor(request({}))).toEqual({ priority: 'normal', slaDueAt: '2026-03-03T09:15:00.000Z', reasons: [] });
  });

  it('is low, due in 72 hours, for a written question from someone with no orders yet', () => {
    expect(escalationFor(request({ channel: 'web', customer: { orders: 0 } }))).toEqual({
      priority: 'low',
      slaDueAt: '2026-03-05T09:15:00.000Z',
      reasons: ['no orders yet, nothing pressing, in writing'],
    });
  });

  it('is urgent, due in 1 hour, for a safety risk, whatever else', () => {
    expect(escalationFor(request({ channel: 'web', message: 'The desk lamp sparked and smells of burning', customer: { orders: 0 } }))).toEqual({
      priority: 'urgent',
      slaDueAt: '2026-03-02T10:15:00.000Z',
      reasons: ['safety risk: fire, smoke or electric shock'],
    });
    expect(escalationFor(request({ message: '램프 스위치를 만지다가 감전됐어요' })).priority).toBe('urgent');
  });

  it('adds up damage, a refund and the chat channel to high, due in 4 hours', () => {
    expect(escalationFor(request({ channel: 'chat', message: 'The chair arrived broken and I want a refund', customer: { orders: 1 } }))).toEqual({
      priority: 'high',
      slaDueAt: '2026-03-02T13:15:00.000Z',
      reasons: ['channel chat (+1)', 'damaged or faulty item (+1)', 'refund requested (+1)'],
    });
  });

  it('makes a legal threat high on its own', () => {
    expect(escalationFor(request({ message: 'I will talk to my lawyer about this', customer: { orders: 0 } }))).toMatchObject({
      priority: 'high',
      reasons: ['legal threat or data-protection request (+3)'],
    });
    expect(escalationFor(request({ message: '소비자원에 신고하고 소송 걸겠습니다' }))).toMatchObject({ priority: 'high' });
  });

  it('makes an angry caller urgent, in English and in Korean', () => {
    expect(escalationFor(request({ channel: 'phone', message: 'This is ridiculous, the worst service ever' }))).toEqual({
      priority: 'urgent',
      slaDueAt: '2026-03-02T10:15:00.000Z',
      reasons: ['channel phone (+2)', 'strong anger (+2)'],
    });
    expect(escalationFor(request({ channel: 'phone', message: '진짜 최악이에요. 어이가 없네요' })).priority).toBe('urgent');
  });

  it('raises the priority for valuable and top customers', () => {
    expect(escalationFor(request({ customer: { orders: 1, revenue: 1_200 } }))).toMatchObject({ priority: 'normal', reasons: ['valuable customer (+1)'] });
    expect(escalationFor(request({ channel: 'chat', customer: { orders: 25 } }))).toEqual({
      priority: 'high',
      slaDueAt: '2026-03-02T13:15:00.000Z',
      reasons: ['channel chat (+1)', 'top customer (+2)'],
    });
  });

  it('reads the subject too', () => {
    expect(escalationFor(request({ subject: 'REFUND NOW!!!', message: 'see subject' })).reasons).toEqual(['strong anger (+2)', 'refund requested (+1)']);
  });

  it('counts the due time from receivedAt in any offset, or a Date, and answers in UTC', () => {
    expect(escalationFor(request({ channel: 'chat', message: 'My sofa is damaged', receivedAt: '2026-03-02T18:30:00+09:00' })).slaDueAt).toBe(
      '2026-03-02T13:30:00.000Z',
    );
    expect(escalationFor(request({ receivedAt: new Date('2026-12-31T12:00:00Z') })).slaDueAt).toBe('2027-01-01T12:00:00.000Z');
  });

  it('refuses a receivedAt that is not a date, without repeating the message', () => {
    const secret = 'my phone is 010-1234-5678';
    expect(() => escalationFor(request({ message: secret, receivedAt: 'yesterday' }))).toThrow(new RangeError('receivedAt must be an ISO 8601 date-time'));
  });

  it('never puts the message text in its reasons', () => {
    const result = escalationFor(request({ channel: 'phone', message: 'Jane Doe, 010-1234-5678: the lamp is broken, call me back' }));
    expect(JSON.stringify(result)).not.toMatch(/Jane|010-1234-5678/);
  });
});
