/** A dynalite server for a test file, with the tables the stack declares. */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { tablesOf, type Template } from '#local/dynamodb/tables.ts';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly ddb: DynamoDBDocumentClient;
  readonly tableNames: readonly string[];
  close(): Promise<void>;
}

export async function startDynalite(template: Template): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const tables = tablesOf(template);
  for (const table of tables) await client.send(new CreateTableCommand(table.input));
  return {
    endpoint,
    client,
    ddb: createDocumentClient(client),
    tableNames: tables.map((table) => table.input.TableName ?? table.logicalId),
    close: () => new Promise<void>((resolve, reject) => server.close((error?: Error) => (error ? reject(error) : resolve()))),
  };
}
