import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '#local/aws-error.ts';
import { DynaliteStore } from '#local/dynamodb/dynalite-store.ts';

let dataDir: string | undefined;

afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const TABLE = {
  TableName: 'profiles',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'stage', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [{ IndexName: 'byStage', KeySchema: [{ AttributeName: 'stage', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  BillingMode: 'PAY_PER_REQUEST',
};

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('the local DynamoDB store', () => {
  it('answers every call it took before it closes its database', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lifecycle-dynalite-'));
    const store = new DynaliteStore(dataDir);
    await store.call('CreateTable', TABLE);
    // Conditional updates read, then write: the close comes while they are at their work.
    const updates = Array.from({ length: 40 }, (_, n) =>
      store.call('UpdateItem', {
        TableName: 'profiles',
        Key: { pk: { S: `k-${n % 4}` } },
        UpdateExpression: 'ADD n :one',
        ConditionExpression: 'attribute_not_exists(gone)',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    const closed = store.close();
    const answers = await Promise.allSettled(updates);
    await closed;

    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    const late = await rejection(store.call('GetItem', { TableName: 'profiles', Key: { pk: { S: 'k-0' } } }));
    expect(late).toBeInstanceOf(AwsServiceError);
  });

  it('keeps what it stored for the next store on the same directory', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lifecycle-dynalite-'));
    const first = new DynaliteStore(dataDir);
    await first.call('CreateTable', TABLE);
    await first.call('PutItem', { TableName: 'profiles', Item: { pk: { S: 'c-1' }, stage: { S: 'buy' } } });
    await first.close();

    const second = new DynaliteStore(dataDir);
    expect(((await rejection(second.call('CreateTable', TABLE))) as AwsServiceError).code).toBe('ResourceInUseException');
    expect(await second.call('GetItem', { TableName: 'profiles', Key: { pk: { S: 'c-1' } } })).toEqual({ Item: { pk: { S: 'c-1' }, stage: { S: 'buy' } } });
    await second.close();
  });

  it("answers with DynamoDB's errors, codes and status", async () => {
    const store = new DynaliteStore();
    await store.call('CreateTable', TABLE);
    const put = { TableName: 'profiles', Item: { pk: { S: 'c-1' } }, ConditionExpression: 'attribute_not_exists(pk)' };
    await store.call('PutItem', put);

    const failed = (await rejection(store.call('PutItem', put))) as AwsServiceError;
    expect([failed.code, failed.statusCode]).toEqual(['ConditionalCheckFailedException', 400]);
    const missing = (await rejection(store.call('GetItem', { TableName: 'nowhere', Key: { pk: { S: 'x' } } }))) as AwsServiceError;
    expect(missing.code).toBe('ResourceNotFoundException');
    const invalid = (await rejection(store.call('GetItem', { TableName: 'profiles', Key: { wrong: { S: 'x' } } }))) as AwsServiceError;
    expect(invalid.code).toBe('ValidationException');
    const malformed = (await rejection(store.call('GetItem', { TableName: 'profiles', Key: 'not a map' }))) as AwsServiceError;
    expect(malformed.code).toBe('SerializationException');
    const unknown = (await rejection(store.call('TransactWriteItems', { TransactItems: [] }))) as AwsServiceError;
    expect(unknown.code).toBe('UnknownOperationException');
    await store.close();
  });

  it("counts the table's capacity and keeps indexes, and leaves the caller’s input as it was", async () => {
    const store = new DynaliteStore();
    await store.call('CreateTable', TABLE);
    const input = { TableName: 'profiles', Item: { pk: { S: 'c-2' }, stage: { S: 'use' } }, ReturnConsumedCapacity: 'TOTAL', Unknown: null };
    const copy = structuredClone(input);

    expect(await store.call('PutItem', input)).toMatchObject({ ConsumedCapacity: { TableName: 'profiles', CapacityUnits: 1 } });
    expect(input).toEqual(copy);
    const byStage = await store.call('Query', {
      TableName: 'profiles',
      IndexName: 'byStage',
      KeyConditionExpression: 'stage = :stage',
      ExpressionAttributeValues: { ':stage': { S: 'use' } },
    });
    expect(byStage.Items).toEqual([{ pk: { S: 'c-2' }, stage: { S: 'use' } }]);
    await store.close();
  });
});
