import { describe, expect, it } from 'vitest';
import { targetInput } from '#local/eventbridge/input-transform.ts';

const event = {
  id: 'e-1',
  'detail-type': 'order.placed',
  source: 'com.example.shop',
  time: '2026-11-22T10:00:00Z',
  detail: { customer: { id: 'c-1', name: 'Mina "M" Kim' }, data: { total: 42, items: [{ productId: 'p-1' }] } },
};
const rule = { ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/bus/r', ruleName: 'r' };

describe('rule target input', () => {
  it('is the whole event by default', () => {
    expect(JSON.parse(targetInput({}, event, rule))).toEqual(event);
  });

  it('is a constant Input as given', () => {
    expect(targetInput({ Input: '{"fixed":true}' }, event, rule)).toBe('{"fixed":true}');
  });

  it('is the part an InputPath selects', () => {
    expect(JSON.parse(targetInput({ InputPath: '$.detail.data' }, event, rule))).toEqual(event.detail.data);
    expect(JSON.parse(targetInput({ InputPath: "$['detail-type']" }, event, rule))).toBe('order.placed');
  });

  it('fills a JSON template: values as JSON outside strings, as escaped text inside them', () => {
    const input = targetInput(
      {
        InputTransformer: {
          InputPathsMap: { name: '$.detail.customer.name', total: '$.detail.data.total', items: '$.detail.data.items' },
          InputTemplate: '{"greeting": "Hello <name>", "total": <total>, "items": <items>, "rule": "<aws.events.rule-name>"}',
        },
      },
      event,
      rule,
    );
    expect(JSON.parse(input)).toEqual({ greeting: 'Hello Mina "M" Kim', total: 42, items: [{ productId: 'p-1' }], rule: 'r' });
  });

  it('fills a plain-text template with text', () => {
    const input = targetInput({ InputTransformer: { InputPathsMap: { id: '$.detail.customer.id' }, InputTemplate: 'customer <id> ordered' } }, event, rule);
    expect(input).toBe('customer c-1 ordered');
  });

  it('puts the whole event where the template asks for it', () => {
    const input = targetInput({ InputTransformer: { InputTemplate: '{"wrapped": <aws.events.event.json>}' } }, event, rule);
    expect(JSON.parse(input)).toEqual({ wrapped: event });
  });
});
