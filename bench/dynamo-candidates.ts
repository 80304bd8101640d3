/**
 * `npm run bench:dynamo`: the local DynamoDB store's candidates side by side, on the calls the
 * hot path makes (a conditional update with an index key, a put, a get by key, a query on an
 * index), run in turn in the same process so that a busy machine weighs on each alike:
 *
 * - dynalite behind its HTTP server, called with fetch (how the local cloud called it before);
 * - dynalite in this process (local/dynamodb/dynalite-store.ts, what it calls now).
 *
 * AWS's own DynamoDB Local (a Java program) is not a candidate: its licence is the vendor's, not
 * an open-source one, and it starts in seconds. Prints operations per second and CPU per call.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import dynalite from 'dynalite';
import { DynaliteStore } from '#local/dynamodb/dynalite-store.ts';

type Json = Record<string, unknown>;
type Call = (operation: string, input: Json) => Promise<Json>;

const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } } });

const TABLE = {
  TableName: 'profiles',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'stage', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [{ IndexName: 'byStage', KeySchema: [{ AttributeName: 'stage', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  BillingMode: 'PAY_PER_REQUEST',
};

/** The hot path's mix for customer `n`: update the profile if the event is new, put the timeline entry, read, query. */
async function customerCalls(call: Call, n: number): Promise<void> {
  const pk = { S: `CUSTOMER#${n % 200}` };
  await call('UpdateItem', {
    TableName: 'profiles',
    Key: { pk, sk: { S: 'PROFILE' } },
    UpdateExpression: 'SET stage = :stage, lastEvent = :event ADD events :one',
    ConditionExpression: 'attribute_not_exists(lastEvent) OR lastEvent <> :event',
    ExpressionAttributeValues: { ':stage': { S: ['discover', 'research', 'buy'][n % 3] }, ':event': { S: `e-${n}` }, ':one': { N: '1' } },
    ReturnConsumedCapacity: 'TOTAL',
  });
  await call('PutItem', { TableName: 'profiles', Item: { pk, sk: { S: `EVENT#${n}` }, kind: { S: 'order.placed' } } });
  await call('GetItem', { TableName: 'profiles', Key: { pk, sk: { S: 'PROFILE' } }, ConsistentRead: true });
  await call('Query', {
    TableName: 'profiles',
    IndexName: 'byStage',
    KeyConditionExpression: 'stage = :stage',
    ExpressionAttributeValues: { ':stage': { S: 'buy' } },
    Limit: 5,
  });
}

/** Calls over HTTP as a client does: JSON in, JSON out, signed (dynalite checks a signature is there). */
function overHttp(port: number): Call {
  return async (operation, input) => {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'x-amz-date': '20260101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local',
      },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as Json;
    if (!response.ok) throw new Error(`${operation}: ${JSON.stringify(body)}`);
    return body;
  };
}

async function measure(name: string, call: Call, calls: number): Promise<{ name: string; perSecond: number; cpuUsPerCall: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  // Eight customers' events at a time, as concurrent invocations make them.
  for (let n = 0; n < calls / 4; n += 8) await Promise.all(Array.from({ length: 8 }, (_, k) => customerCalls(call, n + k)));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { name, perSecond: calls / seconds, cpuUsPerCall: (used.user + used.system) / calls };
}

const calls = Number(args.calls);
const server = dynalite({ createTableMs: 0 });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const http = overHttp((server.address() as AddressInfo).port);
const store = new DynaliteStore();
const inProcess: Call = (operation, input) => store.call(operation, input);
await http('CreateTable', TABLE);
await new Promise((resolve) => setTimeout(resolve, 50));
await inProcess('CreateTable', TABLE);

const results = new Map<string, { perSecond: number[]; cpuUsPerCall: number[] }>();
for (let round = 0; round < Number(args.rounds); round++) {
  for (const [name, call] of [
    ['dynalite over HTTP (fetch)', http],
    ['dynalite in process', inProcess],
  ] as const) {
    const measured = await measure(name, call, calls);
    const entry = results.get(name) ?? { perSecond: [], cpuUsPerCall: [] };
    entry.perSecond.push(measured.perSecond);
    entry.cpuUsPerCall.push(measured.cpuUsPerCall);
    results.set(name, entry);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
console.log(`${calls} calls a round (updates, puts, gets, index queries), ${args.rounds} rounds in turn; medians:`);
for (const [name, entry] of results)
  console.log(
    `  ${name.padEnd(28)} ${Math.round(median(entry.perSecond)).toString().padStart(6)} calls/s  ${Math.round(median(entry.cpuUsPerCall))} µs CPU a call`,
  );
server.close();
await store.close();
process.exit(0);
