import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type BatchGetCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newProfile } from '#shared/profile/profile.ts';
import { toProfileItem } from '#shared/profile/store.ts';
import { STAGE_INDEX, profileKey } from '#shared/profile/table-design.ts';
import { interleave } from '#shared/segments/interleave.ts';
import { batchGetProfiles, stageIndexProfilePages } from '#shared/segments/profile-reads.ts';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const dynamo = mockClient(ddb);
const deps = { ddb, tableName: 'profiles' };
const item = (customerId: string) => toProfileItem(newProfile(customerId, '2026-11-01T00:00:00.000Z'));

beforeEach(() => {
  dynamo.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('reading profiles by key', () => {
  it('asks again for the keys DynamoDB left unprocessed, and keeps the order of the keys', async () => {
    const keys = ['c-1', 'c-2', 'c-3'].map(profileKey);
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { profiles: [item('c-3')] }, UnprocessedKeys: { profiles: { Keys: [keys[0] ?? {}, keys[1] ?? {}] } } })
      .resolvesOnce({ Responses: { profiles: [item('c-2')] }, UnprocessedKeys: { profiles: { Keys: [keys[0] ?? {}] } } })
      .resolvesOnce({ Responses: { profiles: [item('c-1')] } });

    const profiles = await batchGetProfiles(deps, keys);

    expect(profiles.map((profile) => profile.customerId)).toEqual(['c-1', 'c-2', 'c-3']);
    const requested = dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.profiles?.Keys);
    expect(requested).toEqual([keys, [keys[0], keys[1]], [keys[0]]]);
  });

  it('leaves out a profile that no longer exists', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { profiles: [item('c-2')] } });
    const profiles = await batchGetProfiles(deps, ['c-1', 'c-2'].map(profileKey));
    expect(profiles.map((profile) => profile.customerId)).toEqual(['c-2']);
  });

  it('gives up, loudly, when keys stay unprocessed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const keys = [profileKey('c-1')];
    dynamo.on(BatchGetCommand).resolves({ UnprocessedKeys: { profiles: { Keys: keys } } });

    const read = batchGetProfiles(deps, keys).catch((error: unknown) => error);
    await vi.runAllTimersAsync();

    expect(await read).toEqual(new Error('BatchGetItem left 1 profile keys unprocessed after 8 attempts'));
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(8);
  });

  it('refuses more keys than one call takes', async () => {
    const keys = Array.from({ length: 101 }, (_, index) => profileKey(`c-${index}`));
    await expect(batchGetProfiles(deps, keys)).rejects.toThrow(RangeError);
  });
});

describe('reading a stage through the index', () => {
  it('follows the index pages and reads the profiles 100 keys a call', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => `c-${index}`);
    const indexItem = (id: string) => ({ ...profileKey(id), stage: 'use', lastActiveDay: '2026-11-01' });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: ids.slice(0, 120).map(indexItem), LastEvaluatedKey: { pk: 'CUSTOMER#c-119' } })
      .resolvesOnce({ Items: ids.slice(120).map(indexItem) });
    // Answers with the profiles asked for, in reverse: the reader must restore the index order.
    dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
      Responses: { profiles: (input.RequestItems?.profiles?.Keys ?? []).map((key) => item(String(key.pk).replace('CUSTOMER#', ''))).reverse() },
    }));

    const pages = [];
    for await (const page of stageIndexProfilePages(deps, ['use'])) pages.push(page.map((profile) => profile.customerId));

    expect(pages.map((page) => page.length)).toEqual([100, 20, 30]);
    expect(pages.flat()).toEqual(ids);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries[0]).toMatchObject({ IndexName: STAGE_INDEX.name, ExpressionAttributeValues: { ':stage': 'use' }, ScanIndexForward: false });
    expect(queries[1]?.ExclusiveStartKey).toEqual({ pk: 'CUSTOMER#c-119' });
  });
});

describe('interleaving sources', () => {
  async function* source(name: string, delays: readonly number[]) {
    for (const [index, delay] of delays.entries()) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      yield `${name}${index}`;
    }
  }

  it('yields every item of every source as it arrives', async () => {
    const items: string[] = [];
    // Wide gaps, so that a busy machine cannot reorder them.
    for await (const value of interleave([source('a', [150, 1]), source('b', [1, 1, 1])])) items.push(value);
    expect(items).toEqual(['b0', 'b1', 'b2', 'a0', 'a1']);
  });

  it('closes the other sources when the consumer stops early', async () => {
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          yield 'x';
        }
      } finally {
        closed = true;
      }
    }
    for await (const _value of interleave([endless(), source('b', [50])])) break;
    expect(closed).toBe(true);
  });

  it('fails when a source fails', async () => {
    async function* failing(): AsyncGenerator<string> {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('throttled');
    }
    await expect(async () => {
      for await (const _value of interleave([source('a', [20]), failing()])) {
        // consume
      }
    }).rejects.toThrow('throttled');
  });
});
