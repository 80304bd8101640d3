import { describe, expect, it } from 'vitest';
import type { DetailType } from '#shared/events/catalog.ts';
import { SendRequestV1 } from '#shared/outreach/request.ts';
import { noticesFor, retryUrl } from '#shared/stages/notices.ts';
import { catalogEvent, fixture } from '#tests/fixtures/events.ts';
import { readmeFreshnessHours } from '#tests/support/readme.ts';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const settings = { brandUrl: 'https://shop.example.com' };
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
const event = (detailType: DetailType, occurredAt: string, data: Record<string, unknown> = {}) =>
  catalogEvent(detailType, { eventId: `n-${detailType}`, occurredAt, customer: { id: 'c-1' }, data: { ...fixture(detailType).detail.data, ...data } });

describe('notices a buy event calls for', () => {
  it('confirms an order, tells of its shipment, apologises for a delay with the new date, and helps to pay again', () => {
    const sends = ['order.placed', 'order.shipped', 'order.delayed', 'payment.failed'].flatMap((type) =>
      noticesFor(event(type as DetailType, hoursAgo(1)), 'c-1', settings),
    );
    expect(sends.map((send) => [send.template, send.messageKey, send.kind])).toEqual([
      ['order-confirmation', 'order-confirmation:o-9001', 'transactional'],
      ['shipping-notice', 'shipping-notice:o-9001', 'transactional'],
      ['delay-notice', 'delay-notice:o-9001:2026-11-29', 'transactional'],
      ['payment-recovery', 'payment-recovery:o-9001', 'transactional'],
    ]);
    expect(sends[2]?.variables).toEqual({
      order: { orderId: 'o-9001' },
      delay: { newEstimatedDelivery: '2026-11-29', reason: fixture('order.delayed').detail.data.reason },
    });
    for (const send of sends) expect(SendRequestV1.safeParse(send).success).toBe(true);
  });

  it('sends a second delay notice when the date moves again, under its own key', () => {
    const [first] = noticesFor(event('order.delayed', hoursAgo(2)), 'c-1', settings);
    const [second] = noticesFor(event('order.delayed', hoursAgo(1), { newEstimatedDelivery: '2026-12-02' }), 'c-1', settings);
    expect(second?.messageKey).not.toBe(first?.messageKey);
  });

  it('marks each notice as news until its window ends, for the sender to skip it as too old after that', () => {
    const at = '2026-11-20T12:00:00.000Z';
    const until = (type: DetailType) => noticesFor(event(type, at), 'c-1', settings)[0]?.newsUntil;
    expect(until('order.placed')).toBe('2026-11-22T12:00:00.000Z'); // 48 hours
    expect(until('order.shipped')).toBe('2026-11-22T12:00:00.000Z'); // 48 hours
    expect(until('order.delayed')).toBe('2026-11-23T12:00:00.000Z'); // 72 hours
    expect(until('payment.failed')).toBe('2026-11-21T12:00:00.000Z'); // 24 hours
  });

  it('keeps to the limits the README gives next to the events', () => {
    const limits = [...readmeFreshnessHours()].filter(([type]) => type !== 'support.requested') as [DetailType, number][];

    expect(limits.map(([type]) => type)).toEqual(['order.placed', 'order.shipped', 'order.delayed', 'payment.failed']);
    // Past its limit a notice is still asked for, already too old: the sender logs and counts it as skipped.
    const newsUntil = (type: DetailType, hours: number) => Date.parse(noticesFor(event(type, hoursAgo(hours)), 'c-1', settings)[0]?.newsUntil ?? '');
    for (const [type, hours] of limits) {
      expect(newsUntil(type, hours - 0.1), `${type} at ${hours} hours less a bit`).toBeGreaterThan(NOW.getTime());
      expect(newsUntil(type, hours + 0.1), `${type} at ${hours} hours and a bit`).toBeLessThan(NOW.getTime());
    }
  });

  it('sends nothing for events that call for no notice', () => {
    for (const type of ['product.viewed', 'order.delivered', 'support.requested', 'survey.responded'] as const)
      expect(noticesFor(event(type, hoursAgo(1)), 'c-1', settings)).toEqual([]);
  });

  it('links a failed payment back to the order, or else the cart', () => {
    expect(retryUrl('https://shop.example.com', { orderId: 'o 1&x' })).toBe('https://shop.example.com/checkout/retry?order=o+1%26x');
    expect(retryUrl('https://shop.example.com/eu/', { cartId: 'cart-7' })).toBe('https://shop.example.com/checkout/retry?cart=cart-7');
  });
});
