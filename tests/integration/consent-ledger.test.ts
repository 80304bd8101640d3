/**
 * The consent ledger as recording an event writes it (against a local DynamoDB): one entry per
 * event that states consent, never expiring, exactly once through retries, crashes and merges.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetailType } from '#shared/events/catalog.ts';
import { applyEvent } from '#shared/profile/apply-event.ts';
import { readConsentLedger } from '#shared/profile/consent-ledger.ts';
import { recordEvent, type RecordDeps } from '#shared/profile/record-event.ts';
import { putProfile, readProfile } from '#shared/profile/store.ts';
import { catalogEvent } from '#tests/fixtures/events.ts';
import type { Template } from '#local/dynamodb/tables.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { defaultStack } from '#tests/support/stack.ts';

let dynamo: LocalDynamo;
let deps: RecordDeps;
let counter = 0;

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
  deps = { ddb: dynamo.ddb, tableName: dynamo.tableNames[0] ?? '', clock: () => new Date('2026-11-22T12:00:00Z'), timelineRetentionDays: 730 };
});

afterAll(async () => {
  await dynamo.close();
});

function event(
  detailType: DetailType,
  customer: Record<string, unknown>,
  data: Record<string, unknown>,
  options: { occurredAt?: string; eventId?: string; source?: string } = {},
) {
  const built = catalogEvent(detailType, {
    eventId: options.eventId ?? `consent-e-${++counter}`,
    occurredAt: options.occurredAt ?? '2026-11-22T10:00:00Z',
    customer,
    data,
  });
  return options.source ? { ...built, source: options.source } : built;
}

const signup = (customer: Record<string, unknown>, consent: Record<string, unknown>, options: { occurredAt?: string; eventId?: string } = {}) =>
  event('lead.captured', customer, { channel: 'signup-form', consent }, options);

/** The raw items under a customer whose sort key starts with `prefix`. */
async function rawItem(customerId: string, sk: string) {
  const { Item } = await dynamo.ddb.send(new GetCommand({ TableName: deps.tableName, Key: { pk: `CUSTOMER#${customerId}`, sk } }));
  return Item;
}

describe('the consent ledger', () => {
  it('keeps what a signup form said: each topic, where from, the wording the customer saw, and never expires', async () => {
    const lead = signup(
      { id: 'c-led-1', email: 'led-1@example.com' },
      { email: true, topics: ['newsletter', 'offers'], wordingVersion: 'signup-2026-10' },
      { eventId: 'form-1' },
    );

    const outcome = await recordEvent(deps, lead);

    expect(await readConsentLedger(deps, 'c-led-1')).toEqual([
      {
        type: 'statement',
        customerId: 'c-led-1',
        at: '2026-11-22T10:00:00.000Z',
        recordedAt: '2026-11-22T12:00:00.000Z',
        statements: [
          { topic: 'newsletter', subscribed: true },
          { topic: 'offers', subscribed: true },
        ],
        eventId: 'form-1',
        detailType: 'lead.captured',
        source: lead.source,
        via: 'signup-form',
        wordingVersion: 'signup-2026-10',
      },
    ]);
    // The timeline entry expires after the retention; the ledger entry does not.
    expect((await rawItem('c-led-1', 'EVENT#2026-11-22T10:00:00.000Z#form-1'))?.expiresAt).toBeTypeOf('number');
    expect(await rawItem('c-led-1', 'CONSENT#2026-11-22T10:00:00.000Z#form-1')).not.toHaveProperty('expiresAt');
    // A new customer: the identity claim, the profile, the ledger entry and the timeline entry.
    expect(outcome.status === 'recorded' && outcome.writeUnits.table).toBe(4);
  });

  it('costs one write unit more for an event that states consent, and none for any other', async () => {
    await recordEvent(deps, signup({ id: 'c-led-cost' }, { email: true }));

    const consent = await recordEvent(
      deps,
      event('consent.updated', { id: 'c-led-cost' }, { channel: 'email', topic: 'offers', subscribed: false }, { occurredAt: '2026-11-22T11:00:00Z' }),
    );
    const view = await recordEvent(deps, event('product.viewed', { id: 'c-led-cost' }, { productId: 'p-1' }, { occurredAt: '2026-11-22T11:30:00Z' }));

    expect(consent.status === 'recorded' && consent.writeUnits.table).toBe(3);
    expect(view.status === 'recorded' && view.writeUnits.table).toBe(2);
    expect((await readConsentLedger(deps, 'c-led-cost')).map((entry) => entry.type === 'statement' && entry.statements)).toEqual([
      [{ topic: 'all', subscribed: true }],
      [{ topic: 'offers', subscribed: false }],
    ]);
  });

  it('lists the entries oldest first, a late statement in its place, and a declined lead as all no', async () => {
    await recordEvent(
      deps,
      event(
        'consent.updated',
        { id: 'c-led-2' },
        { channel: 'email', subscribed: false, via: 'support-call' },
        { occurredAt: '2026-11-22T09:00:00Z', source: 'com.example.helpdesk' },
      ),
    );
    await recordEvent(deps, { ...signup({ id: 'c-led-2' }, { email: false }, { occurredAt: '2026-11-20T09:00:00Z' }), source: 'com.example.shop' });

    const ledger = await readConsentLedger(deps, 'c-led-2');

    expect(ledger.map((entry) => [entry.at, entry.type === 'statement' && entry.statements, entry.type === 'statement' && entry.source])).toEqual([
      ['2026-11-20T09:00:00.000Z', [{ topic: 'all', subscribed: false }], 'com.example.shop'],
      ['2026-11-22T09:00:00.000Z', [{ topic: 'all', subscribed: false }], 'com.example.helpdesk'],
    ]);
    expect(ledger[1]).toMatchObject({ via: 'support-call' });
  });

  it('writes one entry for an event delivered three times', async () => {
    const change = event('consent.updated', { id: 'c-led-3' }, { channel: 'email', topic: 'surveys', subscribed: true, wordingVersion: 'survey-optin-3' });

    await recordEvent(deps, change);
    await recordEvent(deps, change);
    await recordEvent(deps, change);

    expect(await readConsentLedger(deps, 'c-led-3')).toEqual([expect.objectContaining({ eventId: change.detail.eventId, wordingVersion: 'survey-optin-3' })]);
  });

  it('finishes the entry after a crash between the profile write and the ledger write', async () => {
    const change = event('consent.updated', { id: 'c-led-crash' }, { channel: 'email', subscribed: true });
    // The first attempt wrote the profile and died.
    expect((await putProfile(deps, applyEvent(undefined, 'c-led-crash', change, '2026-11-22T12:00:00.000Z').profile)).ok).toBe(true);

    const retry = await recordEvent(deps, change);

    expect(retry.status).toBe('duplicate');
    expect(await readConsentLedger(deps, 'c-led-crash')).toEqual([
      expect.objectContaining({ eventId: change.detail.eventId, statements: [{ topic: 'all', subscribed: true }] }),
    ]);
    expect((await readProfile(deps, 'c-led-crash'))?.consent.email.all?.subscribed).toBe(true);
  });

  it('carries a lead known only by email over to the customer they turn out to be', async () => {
    await recordEvent(
      deps,
      signup(
        { email: 'led-merge@example.com' },
        { email: true, topics: ['newsletter'], wordingVersion: 'popup-7' },
        { eventId: 'popup-1', occurredAt: '2026-11-21T08:00:00Z' },
      ),
    );

    await recordEvent(
      deps,
      event(
        'order.placed',
        { id: 'c-led-merge', email: 'led-merge@example.com' },
        { orderId: 'o-1', items: [{ productId: 'p-1', quantity: 1, price: 3 }], total: 3, currency: 'EUR' },
      ),
    );

    expect(await readConsentLedger(deps, 'c-led-merge')).toEqual([
      expect.objectContaining({
        customerId: 'c-led-merge',
        eventId: 'popup-1',
        wordingVersion: 'popup-7',
        statements: [{ topic: 'newsletter', subscribed: true }],
      }),
    ]);
  });
});
