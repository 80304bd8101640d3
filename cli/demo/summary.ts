/**
 * What the demo did: the report's figures on the demo's data (customers, events, stage changes,
 * emails, journeys, support), beside what the demo itself knows (people simulated, events sent,
 * malformed events and how many were parked). Every figure the report also shows comes from the
 * report, so the two always agree.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { measuresLift, type JourneyDefinition } from '#shared/journeys/definition.ts';
import type { JourneyStats } from '#shared/journeys/metrics.ts';
import { buildReport } from '#shared/reporting/build-report.ts';
import { collectReportData } from '#shared/reporting/collect-report-data.ts';
import type { Report } from '#shared/reporting/report.ts';
import type { LocalCloud } from '#local/local-cloud.ts';
import type { Population } from './population.ts';

export interface DemoSummary {
  /** People the population simulated: customers and visitors who never left their email. */
  readonly peopleSimulated: number;
  /** Every event put on the bus, malformed ones included. */
  readonly eventsSent: number;
  readonly malformedSent: number;
  /** Malformed events parked with the reason. */
  readonly eventsRejected: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** A customer to look at with `lifecycle profile show`. */
  readonly sampleCustomerId: string;
  /** Each journey's results after the demo week, as `lifecycle journey stats` reads them. */
  readonly journeys: readonly JourneyStats[];
  readonly surveysAnswered: number;
  /** The report on the demo's data: customers, events, emails, funnel, journeys, support, satisfaction. */
  readonly report: Report;
}

export async function summarize(
  cloud: LocalCloud,
  run: { population: Population; eventsSent: number; malformed: number; seconds: number; journeys: readonly JourneyDefinition[]; surveysAnswered: number },
): Promise<DemoSummary> {
  const [outputs = {}] = Object.values(cloud.outputs);
  const client = new DynamoDBClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
  const data = await collectReportData({
    ddb: createDocumentClient(client),
    tableName: outputs.ProfileTableName ?? '',
    now: new Date(cloud.clock.now()),
    source: `local cloud at ${cloud.endpoint}`,
    journeys: run.journeys.map((journey) => ({ name: journey.name, version: journey.version, measuresLift: measuresLift(journey) })),
  });
  client.destroy();

  const parkedQueues = cloud.stacks.flatMap((stack) => stack.queues).filter((queue) => queue.name.includes('ParkedEvents'));
  const eventsRejected = parkedQueues.reduce((sum, queue) => sum + cloud.services.sqs.stats(queue.arn).visible, 0);
  const sample = run.population.customers.find((customer) => customer.persona === 'asks-for-help') ?? run.population.customers[0];
  return {
    peopleSimulated: run.population.customers.length,
    eventsSent: run.eventsSent,
    malformedSent: run.malformed,
    eventsRejected,
    seconds: run.seconds,
    eventsPerSecond: run.eventsSent / run.seconds,
    sampleCustomerId: sample?.id ?? '',
    journeys: data.journeys,
    surveysAnswered: run.surveysAnswered,
    report: buildReport(data),
  };
}
