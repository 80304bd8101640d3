/** What the demo did, read back from the local cloud: the funnel, stage changes, rejections, email, journeys. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import type { JourneyStats } from '#shared/journeys/metrics.ts';
import { buildReport } from '#shared/reporting/build-report.ts';
import { collectReportData } from '#shared/reporting/collect-report-data.ts';
import type { Report } from '#shared/reporting/report.ts';
import { STAGE_INDEX } from '#shared/profile/table-design.ts';
import { STAGES, type Stage } from '#shared/stages/stages.ts';
import type { LocalCloud } from '../local-cloud.ts';
import type { Population } from './population.ts';

export interface DemoSummary {
  readonly customers: number;
  readonly eventsSent: number;
  readonly malformedSent: number;
  readonly customersByStage: Readonly<Record<Stage, number>>;
  readonly stageChanges: number;
  readonly eventsRejected: number;
  readonly emailsSent: number;
  /** Emails not sent, by reason (no-consent, unsubscribed, capped, …). */
  readonly emailsSkipped: Readonly<Record<string, number>>;
  /** Marketing emails waiting for the recipient's quiet hours to end. */
  readonly emailsDeferred: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** A customer to look at with `lifecycle profile show`. */
  readonly sampleCustomerId: string;
  /** Each journey's results after the demo week. */
  readonly journeys: readonly JourneyStats[];
  readonly surveysAnswered: number;
  /** The report on the demo's data: funnel, journeys, support, satisfaction. */
  readonly report: Report;
}

async function count(ddb: DynamoDBDocumentClient, command: (startKey?: Record<string, unknown>) => QueryCommand | ScanCommand): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(command(startKey) as QueryCommand);
    total += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return total;
}

async function emailsSent(sesEndpoint: string): Promise<number> {
  const response = await fetch(`${sesEndpoint}/store`);
  const store = (await response.json()) as { emails?: unknown[] };
  return store.emails?.length ?? 0;
}

/** The message log's skipped messages, counted by reason. */
async function skippedByReason(ddb: DynamoDBDocumentClient, tableName: string): Promise<Record<string, number>> {
  const reasons: Record<string, number> = {};
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#kind = :message AND #status = :skipped',
        ExpressionAttributeNames: { '#kind': 'kind', '#status': 'status' },
        ExpressionAttributeValues: { ':message': 'message', ':skipped': 'skipped' },
        ProjectionExpression: 'reason',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) reasons[String(item.reason)] = (reasons[String(item.reason)] ?? 0) + 1;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return reasons;
}

export async function summarize(
  cloud: LocalCloud,
  run: { population: Population; sent: number; malformed: number; seconds: number; journeys: readonly JourneyStats[]; surveysAnswered: number },
): Promise<DemoSummary> {
  const [outputs = {}] = Object.values(cloud.outputs);
  const tableName = outputs.ProfileTableName ?? '';
  const client = new DynamoDBClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
  const ddb = createDocumentClient(client);

  const customersByStage = Object.fromEntries(
    await Promise.all(
      STAGES.map(async (stage) => [
        stage,
        await count(ddb, (ExclusiveStartKey) =>
          new QueryCommand({ TableName: tableName, IndexName: STAGE_INDEX.name, KeyConditionExpression: '#stage = :stage', ExpressionAttributeNames: { '#stage': STAGE_INDEX.partitionKey }, ExpressionAttributeValues: { ':stage': stage }, Select: 'COUNT', ExclusiveStartKey }),
        ),
      ]),
    ),
  ) as Record<Stage, number>;
  const stageChanges = await count(ddb, (ExclusiveStartKey) =>
    new ScanCommand({ TableName: tableName, FilterExpression: 'attribute_exists(stageChange)', Select: 'COUNT', ExclusiveStartKey }),
  );
  const emailsSkipped = await skippedByReason(ddb, tableName);
  const report = buildReport(
    await collectReportData({ ddb, tableName, now: new Date(cloud.clock.now()), source: `local cloud at ${cloud.endpoint}`, journeys: run.journeys.map((stats) => ({ name: stats.journey, version: stats.version })) }),
  );
  client.destroy();

  const parkedQueues = cloud.stacks.flatMap((stack) => stack.queues).filter((queue) => queue.name.includes('ParkedEvents'));
  const eventsRejected = parkedQueues.reduce((sum, queue) => sum + cloud.services.sqs.stats(queue.arn).visible, 0);
  const buyer = run.population.customers.find((customer) => customer.persona === 'asks-for-help') ?? run.population.customers[0];

  return {
    customers: run.population.customers.length,
    eventsSent: run.sent,
    malformedSent: run.malformed,
    customersByStage,
    stageChanges,
    eventsRejected,
    emailsSent: await emailsSent(cloud.sesEndpoint),
    emailsSkipped,
    emailsDeferred: cloud.pendingSchedules(),
    seconds: run.seconds,
    eventsPerSecond: (run.sent + run.malformed) / run.seconds,
    sampleCustomerId: buyer?.id ?? '',
    journeys: run.journeys,
    surveysAnswered: run.surveysAnswered,
    report,
  };
}
