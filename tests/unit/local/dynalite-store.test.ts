import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynaliteServer } from '#local/dynamodb/dynalite-server.ts';

let dataDir: string | undefined;

afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the local DynamoDB server', () => {
  it('answers every request it took before it closes its database', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lifecycle-dynalite-'));
    const dynalite = createDynaliteServer(dataDir);
    await new Promise<void>((resolve) => dynalite.server.listen(0, '127.0.0.1', resolve));
    const { port } = dynalite.server.address() as AddressInfo;
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(
      new CreateTableCommand({
        TableName: 'profiles',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // Conditional updates read, then write: the close comes once the server has taken them all, while
    // they are at their work.
    const updates = Array.from({ length: 40 }, (_, n) =>
      client.send(
        new UpdateItemCommand({
          TableName: 'profiles',
          Key: { pk: { S: `k-${n % 4}` } },
          UpdateExpression: 'ADD n :one',
          ConditionExpression: 'attribute_not_exists(gone)',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      ),
    );
    let taken = 0;
    await new Promise<void>((resolve) => dynalite.server.on('request', () => ++taken === updates.length && resolve()));

    const closed = dynalite.close();
    const answers = await Promise.allSettled(updates);
    await closed;

    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    client.destroy();
  });
});
