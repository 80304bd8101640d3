/**
 * A business system's view of the profile store: it puts an event with the AWS SDK, as any shop
 * would, and reads the profile back with plain DynamoDB calls — the low-level client, so the
 * attribute types are seen as DynamoDB stores them and nothing of this project decodes them.
 */
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

const START = Date.parse('2026-11-20T09:00:00Z');
const ADDRESS = 'jiwoo.han@example.com';

let test: TestCloud;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
  dynamo = new DynamoDBClient({ endpoint: test.cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'shop', secretAccessKey: 'shop' } });
});

afterAll(async () => {
  dynamo?.destroy();
  await test?.stop();
});

describe('profiles readable with AWS tools', () => {
  it('shows a new lead’s email and stage as plain attributes to Scan and GetItem', { timeout: 60_000 }, async () => {
    const detail = {
      eventId: 'shop-lead-1',
      occurredAt: new Date(START - 60_000).toISOString(),
      customer: { email: ADDRESS, name: 'Jiwoo Han', locale: 'ko-KR', timezone: 'Asia/Seoul' },
      data: { channel: 'signup-form', consent: { email: true, topics: ['newsletter'] } },
    };
    const put = await test.eventBridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: test.busName, Source: 'com.example.shop', DetailType: 'lead.captured', Detail: JSON.stringify(detail) }],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    await test.cloud.settle();

    const { Items = [] } = await dynamo.send(
      new ScanCommand({
        TableName: test.tableName,
        FilterExpression: 'sk = :profile AND email = :email',
        ExpressionAttributeValues: { ':profile': { S: 'PROFILE' }, ':email': { S: ADDRESS } },
      }),
    );
    expect(Items).toHaveLength(1);
    const [found] = Items;
    expect(found).toMatchObject({ email: { S: ADDRESS }, stage: { S: 'discover' }, name: { S: 'Jiwoo Han' }, locale: { S: 'ko-KR' } });
    expect(found?.counters).toEqual({ M: { events: { N: '1' }, orders: { N: '0' }, supportRequests: { N: '0' } } });
    expect(found?.consent?.M?.email?.M?.topics?.M?.newsletter?.M?.subscribed).toEqual({ BOOL: true });
    expect(found?.attribution?.M?.first?.M?.channel).toEqual({ S: 'signup-form' });

    const { Item } = await dynamo.send(new GetItemCommand({ TableName: test.tableName, Key: { pk: found?.pk ?? { S: '' }, sk: { S: 'PROFILE' } } }));
    expect(Item?.email).toEqual({ S: ADDRESS });
    expect(Item?.stage).toEqual({ S: 'discover' });
    // Nothing but the derived data is packed, and the whole profile is not hidden in one attribute.
    expect(Item?.body).toBeUndefined();
    expect(Item?.packed?.B).toBeInstanceOf(Uint8Array);
  });
});
