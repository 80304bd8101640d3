import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynaliteStore } from '#local/dynamodb/dynalite-store.ts';
import { MeteredDynamo } from '#local/dynamodb/metered-dynamo.ts';
import { FaultInjector } from '#local/faults.ts';
import { UsageMeter } from '#local/usage-meter.ts';

const TABLE = {
  TableName: 'profiles',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'stage', AttributeType: 'S' as const },
  ],
  GlobalSecondaryIndexes: [
    { IndexName: 'byStage', KeySchema: [{ AttributeName: 'stage', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } },
  ],
};

let store: DynaliteStore;
let meter: UsageMeter;
let dynamo: MeteredDynamo;

beforeEach(async () => {
  store = new DynaliteStore();
  await store.call('CreateTable', { ...TABLE, BillingMode: 'PAY_PER_REQUEST' });
  meter = new UsageMeter();
  dynamo = new MeteredDynamo({ store, meter, faults: new FaultInjector() });
  dynamo.addTable(TABLE);
});

afterEach(() => store.close());

/** The index write units the meter counted for what `act` did. */
async function indexWrites(act: () => Promise<unknown>): Promise<number> {
  const before = meter.snapshot().dynamodb.indexWriteUnits;
  await act();
  return meter.snapshot().dynamodb.indexWriteUnits - before;
}

const key = { pk: { S: 'c-1' } };

describe('DynamoDB metered in the local cloud', () => {
  it('counts a write to an index for each entry made, moved (two) or removed', async () => {
    expect(await indexWrites(() => dynamo.call('PutItem', { TableName: 'profiles', Item: { ...key, stage: { S: 'discover' } } }, 'fn'))).toBe(1);
    // The same entry again: nothing moves.
    expect(await indexWrites(() => dynamo.call('PutItem', { TableName: 'profiles', Item: { ...key, stage: { S: 'discover' } } }, 'fn'))).toBe(0);
    const moveTo = (stage: string) => ({
      TableName: 'profiles',
      Key: key,
      UpdateExpression: 'SET stage = :stage',
      ExpressionAttributeValues: { ':stage': { S: stage } },
    });
    expect(await indexWrites(() => dynamo.call('UpdateItem', moveTo('research'), 'fn'))).toBe(2);
    expect(await indexWrites(() => dynamo.call('UpdateItem', { ...moveTo('buy'), ReturnValues: 'UPDATED_OLD' }, 'fn'))).toBe(2);
    expect(await indexWrites(() => dynamo.call('UpdateItem', { TableName: 'profiles', Key: key, UpdateExpression: 'REMOVE stage' }, 'fn'))).toBe(1);
    expect(await indexWrites(() => dynamo.call('PutItem', { TableName: 'profiles', Item: { ...key, stage: { S: 'use' } } }, 'fn'))).toBe(1);
    expect(await indexWrites(() => dynamo.call('DeleteItem', { TableName: 'profiles', Key: key }, 'fn'))).toBe(1);
    expect(await indexWrites(() => dynamo.call('DeleteItem', { TableName: 'profiles', Key: key }, 'fn'))).toBe(0);
  });

  it('answers with what the caller asked for, and only that', async () => {
    const item = { ...key, stage: { S: 'discover' } };
    expect(await dynamo.call('PutItem', { TableName: 'profiles', Item: item }, 'fn')).toEqual({});
    expect(await dynamo.call('PutItem', { TableName: 'profiles', Item: { ...item, n: { N: '1' } } }, 'fn')).toEqual({});
    expect(await dynamo.call('PutItem', { TableName: 'profiles', Item: item, ReturnValues: 'ALL_OLD' }, 'fn')).toEqual({
      Attributes: { ...item, n: { N: '1' } },
    });
    const update = { TableName: 'profiles', Key: key, UpdateExpression: 'SET stage = :stage', ExpressionAttributeValues: { ':stage': { S: 'buy' } } };
    expect(await dynamo.call('UpdateItem', update, 'fn')).toEqual({});
    expect(await dynamo.call('UpdateItem', { ...update, ReturnValues: 'UPDATED_OLD' }, 'fn')).toEqual({ Attributes: { stage: { S: 'buy' } } });
    expect(await dynamo.call('UpdateItem', { ...update, ReturnValues: 'ALL_NEW', ReturnConsumedCapacity: 'TOTAL' }, 'fn')).toEqual({
      Attributes: { ...key, stage: { S: 'buy' } },
      ConsumedCapacity: { TableName: 'profiles', CapacityUnits: 1 },
    });
    expect(await dynamo.call('DeleteItem', { TableName: 'profiles', Key: key }, 'fn')).toEqual({});
    await expect(dynamo.call('PutItem', { TableName: 'profiles', Item: item, ReturnValues: 'ALL_NEW' }, 'fn')).rejects.toMatchObject({
      code: 'ValidationException',
    });
  });

  it('bills a failed conditional write a unit and changes no index', async () => {
    await dynamo.call('PutItem', { TableName: 'profiles', Item: { ...key, stage: { S: 'discover' } } }, 'fn');
    const before = meter.snapshot().dynamodb;
    await expect(
      dynamo.call(
        'UpdateItem',
        {
          TableName: 'profiles',
          Key: key,
          UpdateExpression: 'SET stage = :stage',
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeValues: { ':stage': { S: 'buy' } },
        },
        'fn',
      ),
    ).rejects.toMatchObject({ code: 'ConditionalCheckFailedException' });
    const after = meter.snapshot().dynamodb;
    expect([
      after.writeUnits - before.writeUnits,
      after.conditionalFailures - before.conditionalFailures,
      after.indexWriteUnits - before.indexWriteUnits,
    ]).toEqual([1, 1, 0]);
  });
});
