/** The local cloud for a test file, with AWS SDK clients pointed at its endpoint. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '#local/local-cloud.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';

export interface TestCloud {
  readonly cloud: LocalCloud;
  readonly eventBridge: EventBridgeClient;
  readonly stepFunctions: SFNClient;
  readonly sqs: SQSClient;
  readonly ddb: DynamoDBDocumentClient;
  readonly busName: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

export async function startTestCloud(options: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  // LIFECYCLE_TEST_LOGS=<dir> keeps the local cloud's activity and function logs, to look into a failure.
  const logDir = process.env.LIFECYCLE_TEST_LOGS;
  const cloud = await startLocalCloud({
    assemblyDir: inject('assemblyDir'),
    port: 0,
    sesPort: 0,
    timeoutScale: 30,
    ...(logDir && { logDir: `${logDir}/${process.pid}-${Date.now()}` }),
    ...options,
  });
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const [outputs = {}] = Object.values(cloud.outputs);
  const clients = {
    eventBridge: new EventBridgeClient(config),
    // StartSyncExecution carries a `sync-` host prefix, which a local endpoint cannot take.
    stepFunctions: new SFNClient({ ...config, disableHostPrefix: true }),
    sqs: new SQSClient(config),
    dynamo: new DynamoDBClient(config),
  };
  return {
    cloud,
    eventBridge: clients.eventBridge,
    stepFunctions: clients.stepFunctions,
    sqs: clients.sqs,
    ddb: createDocumentClient(clients.dynamo),
    busName: outputs.EventBusName ?? '',
    tableName: outputs.ProfileTableName ?? '',
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      await cloud.stop();
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Puts events on the bus as a shop would (stamped with the cloud's virtual time), then lets everything they start run. */
export async function emitAndSettle(test: TestCloud, events: readonly EmitInput[]): Promise<void> {
  await createEmitter({ client: test.eventBridge, eventBusName: test.busName, source: 'com.example.shop', clock: () => new Date(test.cloud.clock.now()) }).emit(
    [...events],
  );
  await test.cloud.settle();
}
