import { describe, expect, it } from 'vitest';
import { generatePopulation, malformedEntries } from '#cli/demo/population.ts';
import { parseEvent } from '#shared/events/parse.ts';

const now = Date.parse('2026-11-22T12:00:00Z');

describe('demo population', () => {
  const population = generatePopulation({ customers: 200, seed: 1, now });

  it('is the same for the same seed and different for another', () => {
    expect(generatePopulation({ customers: 200, seed: 1, now }).events).toEqual(population.events);
    expect(generatePopulation({ customers: 200, seed: 2, now }).events).not.toEqual(population.events);
  });

  it('sends only events the catalog accepts, all in the past, oldest first', () => {
    for (const event of population.events) {
      const result = parseEvent({ detailType: event.detailType, source: 'com.example.shop', detail: event.detail });
      expect(result.ok, result.ok ? '' : `${event.detailType}: ${result.reason}`).toBe(true);
      expect(Date.parse(event.detail.occurredAt ?? '')).toBeLessThan(now);
    }
    const times = population.events.map((event) => Date.parse(event.detail.occurredAt ?? ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('walks customers through every stage with variety', () => {
    const personas = new Set(population.customers.map((customer) => customer.persona));
    expect([...personas].sort()).toEqual(['asks-for-help', 'browser', 'buyer', 'cart-abandoner', 'churner', 'delayed-order', 'loyal', 'payment-trouble']);
    const types = new Set(population.events.map((event) => event.detailType));
    for (const type of [
      'campaign.touched',
      'lead.captured',
      'cart.updated',
      'order.placed',
      'order.delayed',
      'order.delivered',
      'usage.recorded',
      'support.requested',
      'support.resolved',
      'subscription.cancelled',
      'survey.responded',
    ]) {
      expect(types, type).toContain(type);
    }
    expect(new Set(population.events.map((event) => event.detail.eventId)).size).toBe(population.events.length);
  });

  it('makes malformed events the catalog rejects', () => {
    for (const entry of malformedEntries(20, 1)) {
      const result = parseEvent({ detailType: entry.DetailType, source: entry.Source, detail: JSON.parse(entry.Detail) });
      const future = result.ok && Date.parse(result.event.detail.occurredAt) > now;
      expect(result.ok === false || future).toBe(true);
    }
  });
});
