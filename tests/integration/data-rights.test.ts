/**
 * A customer's data rights through the local cloud and the `lifecycle` command: the export holds
 * every item written for the customer; after `erase`, a scan of the whole table finds neither
 * their address nor their name, their waiting journey run has stopped (no wake-up left, no email
 * later), replaying their earlier events brings nothing back, and the erasure is announced once
 * with no personal data. The API's `POST /customers/{id}/erasure` does the same.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned } from '#cli/signed-request.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import { fromProfileItem, readProfile } from '#shared/profile/store.ts';
import { PROFILE_SK } from '#shared/profile/table-design.ts';
import { emitAndSettle, eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo, systemEvents, type SystemEvent } from '#tests/support/observe.ts';
import { failedInvocations } from '#tests/reliability/support/dead-letters.ts';
import { runCli } from '#tests/support/run-cli.ts';

const START = Date.parse('2026-11-23T08:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const ADDRESS = 'dana.rights@example.com';
const NAME = 'Dana Rights';

type Item = Record<string, unknown>;

// Stamped with explicit ids and times, so that the replay below is the same events again.
const at = (minutes: number) => new Date(START + minutes * MINUTE).toISOString();
const EVENTS: EmitInput[] = [
  {
    detailType: 'product.viewed',
    detail: { eventId: 'dr-visit', occurredAt: at(0), customer: { anonymousId: 'anon-dr-1' }, data: { productId: 'sofa-1', name: 'Sofa' } },
  },
  {
    detailType: 'lead.captured',
    detail: {
      eventId: 'dr-lead',
      occurredAt: at(1),
      customer: { id: 'dr-1', anonymousId: 'anon-dr-1', email: ADDRESS, name: NAME, timezone: 'Europe/Berlin' },
      data: { channel: 'web', consent: { email: true, topics: ['newsletter'] } },
    },
  },
  {
    detailType: 'cart.updated',
    detail: {
      eventId: 'dr-cart',
      occurredAt: at(2),
      customer: { id: 'dr-1' },
      data: { cartId: 'cart-dr', items: [{ productId: 'sofa-1', quantity: 1, price: 900 }], total: 900, currency: 'EUR' },
    },
  },
  {
    detailType: 'survey.responded',
    detail: {
      eventId: 'dr-survey',
      occurredAt: at(3),
      customer: { id: 'dr-1' },
      data: { surveyId: 'nps-q4', kind: 'nps', score: 9, comment: `${NAME} likes the sofa` },
    },
  },
] as EmitInput[];

let test: TestCloud;
let dir: string;
const cli = (...args: string[]) => runCli(test.cloud.endpoint, ...args);
const seen: SystemEvent[] = [];

async function scanAll(): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await test.ddb.send(new ScanCommand({ TableName: test.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** An item as text, with a profile's packed fields unpacked, so that nothing hides in the compression. */
const readable = (item: Item): string => JSON.stringify({ ...item, ...(item.sk === PROFILE_SK && { packed: fromProfileItem(item) }) });

const partition = async (pk: string) =>
  (await test.ddb.send(new QueryCommand({ TableName: test.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ??
  [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'data-rights-'));
  test = await startTestCloud({ speed: 0, startTime: START });
});

afterAll(async () => {
  await test?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("a customer's data rights", () => {
  let schedulesBefore = 0;
  let exported: Item;

  it('exports every item written for the customer, readable', { timeout: 120_000 }, async () => {
    schedulesBefore = test.cloud.pendingSchedules();
    await emitAndSettle(test, EVENTS);
    test.cloud.clock.advance(5 * MINUTE);
    await test.cloud.settle();
    expect(await emailsTo(test, ADDRESS)).toHaveLength(1);

    const out = join(dir, 'dr-1.json');
    const result = await cli('customer', 'export', ADDRESS, '--out', out);
    expect(result.stderr).toBe('');
    exported = JSON.parse(await readFile(out, 'utf8')) as Item;
    const document = exported as {
      customerId: string;
      profile: { email: string; name: string };
      timeline: { eventId: string }[];
      messages: { messageKey: string; template: string; status: string }[];
      journeys: { journey: string; activeRunId?: string }[];
      surveys: { data: { score: number } }[];
      consent: { current: { email: { topics: Record<string, { subscribed: boolean }> } }; ledger: { type: string; eventId?: string; source?: string }[] };
    };
    expect(document.customerId).toBe('dr-1');
    expect(document.profile).toMatchObject({ email: ADDRESS, name: NAME });
    expect(document.timeline.map((entry) => entry.eventId)).toEqual(expect.arrayContaining(['dr-visit', 'dr-lead', 'dr-cart', 'dr-survey']));
    expect(document.messages).toEqual(expect.arrayContaining([expect.objectContaining({ template: 'welcome', status: 'sent' })]));
    expect(document.journeys).toEqual(expect.arrayContaining([expect.objectContaining({ journey: 'welcome-series', activeRunId: expect.any(String) })]));
    expect(document.surveys.map((survey) => survey.data.score)).toEqual([9]);
    expect(document.consent.current.email.topics.newsletter?.subscribed).toBe(true);
    // The sign-up's consent, on the ledger with where it came from.
    expect(document.consent.ledger).toEqual([expect.objectContaining({ type: 'statement', eventId: 'dr-lead', source: 'com.example.shop' })]);

    // Judged by the table itself: every item of the customer's partition is in the export.
    const text = JSON.stringify(exported);
    for (const item of await partition('CUSTOMER#dr-1')) {
      const sk = String(item.sk);
      const key = sk === 'PROFILE' || sk === 'OUTREACH' ? sk : (sk.split('#').at(-1) ?? sk);
      if (sk !== 'PROFILE' && sk !== 'OUTREACH') expect(text, `the export holds ${sk}`).toContain(key);
    }
  });

  it('forgets the customer: no address or name anywhere, the runs stopped, announced once without personal data', { timeout: 120_000 }, async () => {
    // The runs waiting now, as the table holds them: the customer's and the visitor's they were before signing up.
    const active = async (pk: string) =>
      (await partition(pk))
        .filter((item) => String(item.sk).startsWith('JOURNEY#') && item.activeRunId !== undefined)
        .map((item) => `${pk} ${String(item.sk)}`);
    const waiting = [...(await active('CUSTOMER#dr-1')), ...(await active('CUSTOMER#anon:anon-dr-1'))];
    expect(waiting).toEqual(expect.arrayContaining(['CUSTOMER#dr-1 JOURNEY#welcome-series', 'CUSTOMER#anon:anon-dr-1 JOURNEY#browse-abandon']));
    const result = await cli('customer', 'erase', ADDRESS, '--request-id', 'gdpr-1', '--reason', 'ticket 4711');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Erased dr-1');
    await test.cloud.settle();

    const everything = await scanAll();
    const leaks = everything.map(readable).filter((text) => text.toLowerCase().includes(ADDRESS) || text.includes('Dana'));
    expect(leaks).toEqual([]);
    // What stays in the customer's partition is the tombstone alone.
    expect((await partition('CUSTOMER#dr-1')).map((item) => item.sk)).toEqual(['PROFILE']);
    expect((await partition('CUSTOMER#anon:anon-dr-1')).map((item) => item.sk)).toEqual(['PROFILE']);

    // The welcome series waited two days, browse-abandon an hour: their wake-ups are gone, and each counts the run as erased.
    expect(test.cloud.pendingSchedules()).toBe(schedulesBefore);
    const metrics = (await partition('JOURNEY#welcome-series')).find((item) => item.sk === 'METRICS#v1');
    expect(metrics?.erased).toBe(1);

    await systemEvents(test, seen);
    const erased = seen.filter((event) => event['detail-type'] === 'customer.erased');
    expect(erased).toHaveLength(1);
    expect(erased[0]?.detail.customer).toEqual({ id: 'dr-1' });
    expect(erased[0]?.detail.data).toMatchObject({ requestId: 'gdpr-1', runsStopped: waiting.length });
    expect(JSON.stringify(erased)).not.toMatch(/dana/i);
  });

  it('brings nobody back when the earlier events are replayed, and sends nothing later', { timeout: 120_000 }, async () => {
    const emailsBefore = (await emailsTo(test, ADDRESS)).length;
    await emitAndSettle(test, EVENTS);
    // A late redrive of the sign-up under a new event id, as a help desk's backlog would send it.
    await emitAndSettle(test, [{ ...EVENTS[1], detail: { ...(EVENTS[1]?.detail as object), eventId: 'dr-lead-again' } } as EmitInput]);
    test.cloud.clock.advance(3 * DAY);
    await test.cloud.settle();

    expect((await partition('CUSTOMER#dr-1')).map((item) => item.sk)).toEqual(['PROFILE']);
    const tombstone = await readProfile({ ddb: test.ddb, tableName: test.tableName }, 'dr-1');
    expect(tombstone?.email).toBeUndefined();
    expect(tombstone?.erasure?.requestId).toBe('gdpr-1');
    expect((await scanAll()).map(readable).filter((text) => text.toLowerCase().includes(ADDRESS))).toEqual([]);
    expect(await emailsTo(test, ADDRESS)).toHaveLength(emailsBefore);

    const again = await cli('customer', 'export', 'dr-1');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('nothing is held about dr-1');
  });

  it('erases once for one request id, however often it is asked', { timeout: 60_000 }, async () => {
    const result = await cli('customer', 'erase', 'dr-1', '--request-id', 'gdpr-1');
    expect(result.code, result.stderr).toBe(0);
    await test.cloud.settle();
    await systemEvents(test, seen);
    const ids = new Set(seen.filter((event) => event['detail-type'] === 'customer.erased').map((event) => (event.detail as { eventId?: string }).eventId));
    expect([...ids]).toEqual(['erased-gdpr-1']);
  });

  it('takes an erasure request on the API, signed, and refuses a malformed one', { timeout: 60_000 }, async () => {
    await emitAndSettle(test, [
      {
        detailType: 'lead.captured',
        detail: { customer: { id: 'dr-2', email: 'second.person@example.com', name: 'Second Person' }, data: { channel: 'web' } },
      },
    ] as EmitInput[]);
    const [outputs = {}] = Object.values(test.cloud.outputs);
    const signing = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const bad = await postSigned(`${outputs.LaunchUrl ?? ''}customers/dr-2/erasure`, { requestId: 'not valid!' }, signing);
    expect(bad.status).toBe(400);
    expect(await readProfile({ ddb: test.ddb, tableName: test.tableName }, 'dr-2')).toMatchObject({ email: 'second.person@example.com' });

    const accepted = await postSigned(`${outputs.LaunchUrl ?? ''}customers/dr-2/erasure`, { requestId: 'api-1' }, signing);
    expect(accepted).toMatchObject({ status: 202, body: { requestId: 'api-1', customerId: 'dr-2' } });
    await test.cloud.settle();
    const tombstone = await eventually(async () => (await readProfile({ ddb: test.ddb, tableName: test.tableName }, 'dr-2'))?.erasure, 'the tombstone of dr-2');
    expect(tombstone.requestId).toBe('api-1');
    expect((await scanAll()).map(readable).filter((text) => text.includes('second.person@example.com') || text.includes('Second Person'))).toEqual([]);
  });

  it('refuses a malformed erasure request with the reason, keeps it, and erases nobody', { timeout: 60_000 }, async () => {
    await emitAndSettle(test, [
      { detailType: 'lead.captured', detail: { customer: { id: 'dr-3', email: 'third.person@example.com' }, data: { channel: 'web' } } },
    ] as EmitInput[]);
    const detail = {
      eventId: 'dr-bad-request',
      occurredAt: new Date(test.cloud.clock.now()).toISOString(),
      customer: { id: 'dr-3' },
      data: { reason: 'no request id' },
    };
    const put = await test.eventBridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: test.busName, Source: 'com.example.helpdesk', DetailType: 'customer.erasure.requested', Detail: JSON.stringify(detail) }],
      }),
    );
    // Asynchronous invocations retry after one and then two minutes before giving up.
    for (let minute = 0; minute < 4; minute++) {
      test.cloud.clock.advance(MINUTE);
      await test.cloud.settle();
    }
    expect(failedInvocations(test).get(put.Entries?.[0]?.EventId ?? '')).toMatchObject({
      function: expect.stringContaining('DataRightsEraser'),
      errorType: 'InvalidEventError',
      errorMessage: expect.stringContaining('requestId'),
    });
    expect(await readProfile({ ddb: test.ddb, tableName: test.tableName }, 'dr-3')).toMatchObject({ email: 'third.person@example.com' });
  });
});
