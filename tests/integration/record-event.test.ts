import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetailType } from '#shared/events/catalog.ts';
import { applyEvent } from '#shared/profile/apply-event.ts';
import { emailHash, provisionalIdForEmail } from '#shared/profile/identity.ts';
import { newProfile } from '#shared/profile/profile.ts';
import { viewCustomer } from '#shared/profile/lookup.ts';
import { recordEvent, type RecordDeps } from '#shared/profile/record-event.ts';
import { putProfile, putTimelineEntry, readIdentity, readProfile, readTimeline } from '#shared/profile/store.ts';
import { STAGE_INDEX, timelineKey } from '#shared/profile/table-design.ts';
import { catalogEvent, fixture } from '#tests/fixtures/events.ts';
import type { Template } from '#local/dynamodb/tables.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { defaultStack } from '#tests/support/stack.ts';

let dynamo: LocalDynamo;
let deps: RecordDeps;
let counter = 0;

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
  deps = {
    ddb: dynamo.ddb,
    tableName: dynamo.tableNames[0] ?? '',
    clock: () => new Date('2026-11-22T12:00:00Z'),
    timelineRetentionDays: 730,
  };
});

afterAll(async () => {
  await dynamo.close();
});

/** A fixture event for a customer, with a fresh id unless given. */
function event(
  detailType: DetailType,
  customer: Record<string, unknown>,
  options: { occurredAt?: string; eventId?: string; data?: Record<string, unknown> } = {},
) {
  return catalogEvent(detailType, {
    eventId: options.eventId ?? `e-${++counter}`,
    occurredAt: options.occurredAt ?? '2026-11-22T10:00:00Z',
    customer,
    data: { ...fixture(detailType).detail.data, ...options.data },
  });
}

const profileOf = async (customerId: string) => {
  const profile = await readProfile(deps, customerId);
  if (!profile) throw new Error(`no profile for ${customerId}`);
  return profile;
};

describe('recording an event (against a local DynamoDB)', () => {
  it('creates the profile and the timeline entry, and announces the new stage', async () => {
    const outcome = await recordEvent(deps, event('product.viewed', { id: 'c-new', email: 'Mina.Kim@Example.com' }));

    expect(outcome).toMatchObject({ status: 'recorded', customerId: 'c-new', stage: { stage: 'research', changed: true } });
    expect(outcome.status === 'recorded' && outcome.stageChanged).toMatchObject({
      customer: { id: 'c-new' },
      data: { from: null, to: 'research', cause: { detailType: 'product.viewed' } },
    });
    expect(await profileOf('c-new')).toMatchObject({ stage: 'research', counters: { events: 1 }, email: 'Mina.Kim@Example.com', version: 1 });
    expect(await readTimeline(deps, 'c-new')).toEqual([
      expect.objectContaining({ detailType: 'product.viewed', stageChange: expect.objectContaining({ to: 'research' }) }),
    ]);
    // The email now leads to the customer, under its hash: no key holds the address.
    expect(await readIdentity(deps, 'email', emailHash('mina.kim@example.com'))).toBe('c-new');
  });

  it('uses two write units for an event on a known customer, and none on the stage index', async () => {
    // A well-filled profile: contact details, consent to every topic, attributes, an order.
    const customer = { id: 'c-hot', anonymousId: 'v-hot', email: 'mina.kim@example.com', name: 'Mina Kim', locale: 'ko-KR', timezone: 'Asia/Seoul' };
    await recordEvent(
      deps,
      event('lead.captured', customer, {
        occurredAt: '2026-11-22T08:00:00Z',
        data: { consent: { email: true, topics: ['newsletter', 'offers', 'product-updates', 'surveys'] } },
      }),
    );
    await recordEvent(deps, event('profile.updated', { id: 'c-hot' }, { occurredAt: '2026-11-22T08:30:00Z' }));
    await recordEvent(deps, event('order.placed', { id: 'c-hot' }, { occurredAt: '2026-11-22T09:00:00Z' }));

    const outcome = await recordEvent(deps, event('order.shipped', { id: 'c-hot' }, { occurredAt: '2026-11-22T09:30:00Z' }));

    expect(outcome.status === 'recorded' && outcome.writeUnits).toEqual({ table: 2, index: 0 });
  });

  it('reads a profile stored whole in a packed body, as profiles were first stored, and stores it as attributes on its next update', async () => {
    // Written by hand in the old form: the whole profile as raw DEFLATE of its JSON in `body`.
    const old = {
      ...newProfile('c-old', '2026-10-01T10:00:00.000Z'),
      version: 4,
      email: 'old.form@example.com',
      name: 'Old Form',
      stage: 'research',
      counters: { events: 4, orders: 0, supportRequests: 0 },
      // A mark as they were then: 12 characters of the event id's hash.
      recentEvents: [createHash('sha256').update('e-old-1').digest('base64url').slice(0, 12)],
    };
    const key = { pk: 'CUSTOMER#c-old', sk: 'PROFILE' };
    await dynamo.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          ...key,
          kind: 'profile',
          customerId: 'c-old',
          version: 4,
          stage: 'research',
          lastActiveDay: '2026-10-01',
          body: deflateRawSync(JSON.stringify(old)),
        },
      }),
    );
    expect(await profileOf('c-old')).toMatchObject({ email: 'old.form@example.com', version: 4, counters: { events: 4 } });
    // A redelivery of an event the old profile holds is still known for one.
    expect(await recordEvent(deps, event('product.viewed', { id: 'c-old' }, { eventId: 'e-old-1' }))).toMatchObject({ status: 'duplicate' });

    const outcome = await recordEvent(deps, event('order.placed', { id: 'c-old' }));

    expect(outcome).toMatchObject({ status: 'recorded', stage: { stage: 'buy' } });
    const { Item } = await dynamo.ddb.send(new GetCommand({ TableName: deps.tableName, Key: key }));
    expect(Item?.body).toBeUndefined();
    expect(Item).toMatchObject({ email: 'old.form@example.com', name: 'Old Form', stage: 'buy', version: 5, counters: { events: 5, orders: 1 } });
    expect(await profileOf('c-old')).toMatchObject({ firstSeenAt: '2026-10-01T10:00:00.000Z', recentEvents: expect.arrayContaining(old.recentEvents) });
  });

  it('counts the stage index writes when the stage changes', async () => {
    await recordEvent(deps, event('product.viewed', { id: 'c-move' }));
    const outcome = await recordEvent(deps, event('order.placed', { id: 'c-move' }));

    expect(outcome.status === 'recorded' && outcome.writeUnits).toEqual({ table: 2, index: 2 });
    const { Items } = await dynamo.ddb.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: STAGE_INDEX.name,
        KeyConditionExpression: 'stage = :stage',
        ExpressionAttributeValues: { ':stage': 'buy' },
      }),
    );
    expect(Items?.map((item) => item.pk)).toContain('CUSTOMER#c-move');
  });

  it('recognises a duplicate and applies it once', async () => {
    const placed = event('order.placed', { id: 'c-dup' }, { data: { total: 50, currency: 'EUR' } });

    const first = await recordEvent(deps, placed);
    const second = await recordEvent(deps, placed);
    const third = await recordEvent(deps, placed);

    expect(first.status).toBe('recorded');
    expect(second).toMatchObject({ status: 'duplicate', customerId: 'c-dup' });
    expect(third.status).toBe('duplicate');
    expect(await profileOf('c-dup')).toMatchObject({ counters: { events: 1, orders: 1 }, revenue: { EUR: 50 }, version: 1 });
    expect(await readTimeline(deps, 'c-dup')).toHaveLength(1);
  });

  it('keeps one timeline entry when a producer that ran again sends the event stamped at another time', async () => {
    // A nightly job fired twice: the same event id, the second time stamped a minute later.
    const nightly = (occurredAt: string) =>
      event('profile.updated', { id: 'c-again' }, { eventId: 'nightly-c-again', occurredAt, data: { attributes: { rfm: '555' } } });
    const [first, again] = [nightly('2026-11-22T02:00:00Z'), nightly('2026-11-22T02:01:00Z')];

    await recordEvent(deps, first);
    const second = await recordEvent(deps, again);

    expect(second.status).toBe('duplicate');
    expect((await profileOf('c-again')).counters.events).toBe(1);
    expect((await readTimeline(deps, 'c-again')).map((entry) => Date.parse(entry.occurredAt))).toEqual([Date.parse('2026-11-22T02:00:00Z')]);
  });

  it('finishes the work of a crash between the profile write and the timeline write', async () => {
    const placed = event('order.placed', { id: 'c-crash' });
    // The first attempt wrote the profile and died before the timeline entry.
    const applied = applyEvent(undefined, 'c-crash', placed, '2026-11-22T12:00:00.000Z');
    expect((await putProfile(deps, applied.profile)).ok).toBe(true);

    const retry = await recordEvent(deps, placed);

    expect(retry.status).toBe('duplicate');
    // The retry announces the stage change the first attempt never got to announce.
    expect(retry.status === 'duplicate' && retry.stageChanged?.data).toMatchObject({ to: 'buy' });
    expect((await profileOf('c-crash')).counters.orders).toBe(1);
    expect(await readTimeline(deps, 'c-crash')).toEqual([expect.objectContaining({ eventId: placed.detail.eventId })]);
  });

  it('does not let a late event move the stage back or overwrite newer data', async () => {
    await recordEvent(deps, event('order.delivered', { id: 'c-late', name: 'New Name' }, { occurredAt: '2026-11-20T00:00:00Z' }));

    const late = await recordEvent(deps, event('product.viewed', { id: 'c-late', name: 'Old Name' }, { occurredAt: '2026-11-10T00:00:00Z' }));

    expect(late).toMatchObject({ status: 'recorded', stage: { stage: 'use', changed: false } });
    expect(await profileOf('c-late')).toMatchObject({ stage: 'use', name: 'New Name', counters: { events: 2 } });
    // The timeline still tells the story in the order it happened.
    expect((await readTimeline(deps, 'c-late')).map((entry) => entry.detailType)).toEqual(['product.viewed', 'order.delivered']);
  });

  it('merges an anonymous visitor into the customer when an event names both', async () => {
    await recordEvent(deps, event('campaign.touched', { anonymousId: 'v-merge' }, { occurredAt: '2026-11-01T00:00:00Z' }));
    await recordEvent(deps, event('product.viewed', { anonymousId: 'v-merge' }, { occurredAt: '2026-11-02T00:00:00Z' }));
    expect(await profileOf('anon:v-merge')).toMatchObject({ identified: false, stage: 'research', counters: { events: 2 } });

    const lead = await recordEvent(
      deps,
      event('lead.captured', { id: 'c-merge', anonymousId: 'v-merge', email: 'merge@example.com' }, { occurredAt: '2026-11-03T00:00:00Z' }),
    );

    expect(lead).toMatchObject({ status: 'recorded', customerId: 'c-merge', merged: ['anon:v-merge'] });
    expect(await profileOf('c-merge')).toMatchObject({
      identified: true,
      stage: 'research',
      firstSeenAt: '2026-11-01T00:00:00.000Z',
      counters: { events: 3 },
      anonymousIds: ['v-merge'],
      mergedFrom: ['anon:v-merge'],
    });
    expect((await readTimeline(deps, 'c-merge')).map((entry) => entry.detailType)).toEqual(['campaign.touched', 'product.viewed', 'lead.captured']);
    expect(await profileOf('anon:v-merge')).toMatchObject({ mergedInto: 'c-merge' });

    // From now on the anonymous id and the email lead to the customer.
    const later = await recordEvent(deps, event('content.viewed', { anonymousId: 'v-merge' }));
    const byEmail = await recordEvent(deps, event('content.viewed', { email: 'MERGE@example.com' }));
    expect(later).toMatchObject({ status: 'recorded', customerId: 'c-merge' });
    expect(byEmail).toMatchObject({ status: 'recorded', customerId: 'c-merge' });
    expect((await profileOf('c-merge')).counters.events).toBe(5);
  });

  it('ends with one profile when a visit and the sign-up naming the visitor are recorded at once', async () => {
    const visitors = Array.from({ length: 20 }, (_, n) => n);

    await Promise.all(
      visitors.flatMap((n) => [
        recordEvent(deps, event('product.viewed', { anonymousId: `v-race-${n}` }, { occurredAt: '2026-11-21T00:00:00Z' })),
        recordEvent(deps, event('lead.captured', { id: `c-race-${n}`, anonymousId: `v-race-${n}` }, { occurredAt: '2026-11-21T01:00:00Z' })),
      ]),
    );

    for (const n of visitors) {
      expect((await profileOf(`c-race-${n}`)).counters.events, `c-race-${n}`).toBe(2);
      const anonymous = await readProfile(deps, `anon:v-race-${n}`);
      // Either the visit never made a profile of its own, or that profile was merged.
      expect(anonymous === undefined || anonymous.mergedInto === `c-race-${n}`).toBe(true);
    }
  });

  it("records the stage move a sign-up's merge made, whichever of two deliveries at once merges and which applies it", async () => {
    const visitors = Array.from({ length: 20 }, (_, n) => n);
    // Each visitor reaches research first; then the sign-up that names them is delivered twice at once.
    await Promise.all(visitors.map((n) => recordEvent(deps, event('product.viewed', { anonymousId: `v-move-${n}` }, { occurredAt: '2026-11-21T00:00:00Z' }))));
    await Promise.all(
      visitors.flatMap((n) => {
        const signUp = event('lead.captured', { id: `c-move-${n}`, anonymousId: `v-move-${n}` }, { occurredAt: '2026-11-21T01:00:00Z' });
        return [recordEvent(deps, signUp), recordEvent(deps, signUp)];
      }),
    );

    for (const n of visitors) {
      const signUp = (await readTimeline(deps, `c-move-${n}`)).find((entry) => entry.detailType === 'lead.captured');
      expect(signUp?.stageChange, `c-move-${n}`).toMatchObject({ to: 'research' });
    }
  });

  it('keeps a customer known only by email under a provisional id, then merges it', async () => {
    const first = await recordEvent(deps, event('lead.captured', { email: 'only-email@example.com' }));
    const provisional = provisionalIdForEmail('only-email@example.com');
    expect(first).toMatchObject({ status: 'recorded', customerId: provisional });
    expect(first.status === 'recorded' && first.stageChanged?.customer).toEqual({ email: 'only-email@example.com' });

    const identified = await recordEvent(deps, event('order.placed', { id: 'c-email', email: 'only-email@example.com' }));

    expect(identified).toMatchObject({ customerId: 'c-email', merged: [provisional] });
    expect(await profileOf('c-email')).toMatchObject({ counters: { events: 2, orders: 1 }, stage: 'buy' });
  });

  it('counts every one of 50 concurrent events on one customer', async () => {
    const events = Array.from({ length: 50 }, (_, n) =>
      event('usage.recorded', { id: 'c-busy' }, { occurredAt: `2026-11-22T08:${String(n).padStart(2, '0')}:00Z` }),
    );

    const outcomes = await Promise.all(events.map((e) => recordEvent(deps, e)));

    expect(outcomes.every((outcome) => outcome.status === 'recorded')).toBe(true);
    const profile = await profileOf('c-busy');
    expect(profile.counters.events).toBe(50);
    expect(profile.version).toBe(50);
    expect(await readTimeline(deps, 'c-busy')).toHaveLength(50);
  });

  it('keeps the stage change on the timeline when a second delivery completes the entry while the first writes it', async () => {
    const viewed = event('product.viewed', { id: 'c-race' });
    await recordEvent(deps, viewed);
    const [recorded] = await readTimeline(deps, 'c-race');
    expect(recorded?.stageChange).toMatchObject({ to: 'research' });
    // The first attempt has applied the event to the profile and not yet written the entry.
    const key = timelineKey('c-race', viewed.detail.occurredAt, viewed.detail.eventId);
    await deps.ddb.send(new DeleteCommand({ TableName: deps.tableName, Key: key }));
    // The second delivery finds the mark and completes the entry; at that moment the first attempt writes it in full.
    const racing: RecordDeps = {
      ...deps,
      ddb: {
        send: async (command: { input?: { Item?: Record<string, unknown> } }) => {
          if (command instanceof PutCommand && command.input.Item?.sk === key.sk && recorded) await putTimelineEntry(deps, recorded, 1);
          return deps.ddb.send(command as never);
        },
      } as unknown as RecordDeps['ddb'],
    };

    expect(await recordEvent(racing, viewed)).toMatchObject({ status: 'duplicate' });
    expect(await readTimeline(deps, 'c-race')).toEqual([
      expect.objectContaining({ eventId: viewed.detail.eventId, stageChange: expect.objectContaining({ to: 'research' }) }),
    ]);
  });

  it('rejects an event from the future and writes nothing', async () => {
    const outcome = await recordEvent(deps, event('product.viewed', { id: 'c-future' }, { occurredAt: '2026-11-23T00:00:00Z' }));

    expect(outcome).toEqual({ status: 'rejected', reason: 'occurredAt: is in the future' });
    expect(await readProfile(deps, 'c-future')).toBeUndefined();
  });

  it('compresses a large payload and reads it back whole', async () => {
    const message = 'My order arrived damaged. '.repeat(200);
    await recordEvent(deps, event('support.requested', { id: 'c-big' }, { data: { requestId: 'r-big', message } }));

    const [entry] = await readTimeline(deps, 'c-big');
    expect(entry?.data).toMatchObject({ requestId: 'r-big', message });
  });
});

describe('the stage history', () => {
  const historyOf = async (customerId: string) => (await viewCustomer(deps, customerId))?.stageHistory.map((step) => [step.from ?? '-', step.to, step.at]);

  it('has every change in the order it was made when an event comes late, none before the one it follows', async () => {
    const customer = { id: 'c-history-late', email: 'history-late@example.com' };
    await recordEvent(deps, event('lead.captured', customer, { occurredAt: '2026-11-20T09:00:00Z' }));
    await recordEvent(deps, event('product.viewed', customer, { occurredAt: '2026-11-21T09:00:00Z' }));
    // Placed between the two, recorded after both: it moves the customer on now, not in the past.
    await recordEvent(deps, event('order.placed', customer, { occurredAt: '2026-11-20T15:00:00Z' }));

    expect(await historyOf('c-history-late')).toEqual([
      ['-', 'discover', '2026-11-20T09:00:00.000Z'],
      ['discover', 'research', '2026-11-21T09:00:00.000Z'],
      ['research', 'buy', '2026-11-21T09:00:00.000Z'],
    ]);
  });

  it('records the change a merge made, from where the customer stood before it', async () => {
    await recordEvent(deps, event('lead.captured', { id: 'c-joined', email: 'joined@example.com' }, { occurredAt: '2026-11-20T09:00:00Z' }));
    await recordEvent(deps, event('product.viewed', { anonymousId: 'v-joined' }, { occurredAt: '2026-11-20T10:00:00Z' }));
    // The visitor turns out to be the lead: merged into them, then the profile update applies.
    await recordEvent(
      deps,
      event('profile.updated', { id: 'c-joined', anonymousId: 'v-joined' }, { occurredAt: '2026-11-20T11:00:00Z', data: { attributes: { plan: 'basic' } } }),
    );
    await recordEvent(deps, event('order.placed', { id: 'c-joined' }, { occurredAt: '2026-11-20T12:00:00Z' }));

    const view = await viewCustomer(deps, 'c-joined');
    expect(view?.stageHistory.map((step) => [step.from ?? '-', step.to])).toEqual([
      ['-', 'discover'],
      ['discover', 'research'],
      ['research', 'buy'],
    ]);
    expect(view?.stageHistory[1]?.reason).toContain('merged');
  });
});
