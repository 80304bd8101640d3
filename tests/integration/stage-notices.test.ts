/** The buy stage's notices through the local cloud: sent at once, once, and only while they are news. */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '#shared/events/emitter.ts';
import { readMessages } from '#shared/outreach/outreach-store.ts';
import { emitAndSettle, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo as emailsTo_ } from '#tests/support/observe.ts';

const START = Date.parse('2026-11-22T03:00:00Z'); // noon in Seoul
let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
});

afterAll(async () => {
  await test.stop();
});

const emailsTo = (address: string) => emailsTo_(test, address);
const customer = (id: string) => ({ id, email: `${id}@example.com`, locale: 'en-US', timezone: 'Asia/Seoul' });
const items = [{ productId: 'p-oak-chair', name: 'Oak chair', quantity: 1, price: 89 }];

const emit = (events: EmitInput[]) => emitAndSettle(test, events);

describe('buy-stage notices', () => {
  it('confirms an order, tells of its shipment and apologises for a delay with the new date', async () => {
    await emit([
      { detailType: 'order.placed', detail: { customer: customer('n-buyer'), data: { orderId: 'o-n1', items, total: 89, currency: 'EUR' } } } as EmitInput,
    ]);
    await emit([
      {
        detailType: 'order.shipped',
        detail: { customer: { id: 'n-buyer' }, data: { orderId: 'o-n1', carrier: 'DHL', trackingUrl: 'https://tracking.example.com/o-n1' } },
      } as EmitInput,
    ]);
    await emit([
      {
        detailType: 'order.delayed',
        detail: { customer: { id: 'n-buyer' }, data: { orderId: 'o-n1', newEstimatedDelivery: '2026-11-30', reason: 'supplier shortage' } },
      } as EmitInput,
    ]);

    const emails = await emailsTo('n-buyer@example.com');
    expect(emails).toHaveLength(3);
    const [confirmation, shipping, delay] = emails;
    expect(confirmation?.body.text).toContain('o-n1');
    expect(shipping?.body.text).toContain('https://tracking.example.com/o-n1');
    expect(delay?.body.text).toMatch(/November 30, 2026|2026-11-30/);
  });

  it('sends one payment-recovery email however often the failure is delivered', async () => {
    const failure = {
      detailType: 'payment.failed',
      detail: { eventId: 'pay-fail-1', customer: customer('n-payer'), data: { orderId: 'o-n2', reason: 'card declined' } },
    } as EmitInput;
    await emit([failure]);
    await emit([failure]);
    await emit([{ ...failure, detail: { ...failure.detail, eventId: 'pay-fail-2' } } as EmitInput]);

    const emails = await emailsTo('n-payer@example.com');
    expect(emails).toHaveLength(1);
    expect(emails[0]?.body.text).toContain('https://shop.example.com/checkout/retry?order=o-n2');
  });

  it('sends nothing for an order placed days ago that arrives only now, and logs the confirmation as skipped: too old', async () => {
    const old = new Date(START - 5 * 86_400_000).toISOString();
    await test.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: test.busName,
            Source: 'com.example.import',
            DetailType: 'order.placed',
            Detail: JSON.stringify({
              version: 1,
              eventId: 'import-1',
              occurredAt: old,
              customer: customer('n-imported'),
              data: { orderId: 'o-old', items, total: 89, currency: 'EUR' },
            }),
          },
        ],
      }),
    );
    await test.cloud.settle();
    expect(await emailsTo('n-imported@example.com')).toEqual([]);
    const log = await readMessages({ ddb: test.ddb, tableName: test.tableName }, 'n-imported');
    expect(log).toMatchObject([{ messageKey: 'order-confirmation:o-old', status: 'skipped', reason: 'too-old', origin: { workflow: 'buy' } }]);
  });
});
