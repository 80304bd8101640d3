/**
 * Launching a journey as the CLI and the console both do it: a dry run reads the store and starts
 * nothing; a real launch goes through the stack's launcher (its IAM-authorised launch URL), which
 * starts the runs in the account — the same path as the HTTP API and the launch event.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { launchJourney, type LaunchReport } from '#shared/journeys/launch.ts';
import type { Segment } from '#shared/segments/segment.ts';
import { postSigned } from './signed-request.ts';
import type { Target } from './target.ts';

export interface LaunchOrder {
  readonly journey: JourneyDefinition;
  /** The idempotency key: the same id never starts a customer twice. */
  readonly launchId: string;
  readonly audience: { readonly segment: Segment } | { readonly customerIds: readonly string[] };
  readonly dryRun: boolean;
  /** The segment's count from the dry run before it, for the launch's progress as a share. */
  readonly total?: number;
}

/** A new launch id from the time: `launch-20270301093000`. */
export function newLaunchId(now: Date): string {
  return `launch-${now
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 14)}`;
}

/** Customer ids from CSV text: the first column, a header row left out. */
export function customerIdsFromCsv(text: string): string[] {
  const rows = text
    .split(/\r?\n/)
    .map((row) => row.split(',')[0]?.trim().replace(/^"|"$/g, '') ?? '')
    .filter(Boolean);
  return /^(customer_?id|id)$/i.test(rows[0] ?? '') ? rows.slice(1) : rows;
}

export async function launch(target: Target, order: LaunchOrder): Promise<LaunchReport> {
  if (!order.dryRun) {
    const body = 'segment' in order.audience ? { segment: order.audience.segment.name } : { customerIds: order.audience.customerIds };
    return launchThroughStack(target, order.journey.name, { launchId: order.launchId, ...body, ...(order.total !== undefined && { total: order.total }) });
  }
  const dynamo = new DynamoDBClient(target.clientConfig);
  try {
    const store = { ddb: createDocumentClient(dynamo), tableName: target.tableName, now: target.now, consentMode: target.consentMode };
    return await launchJourney(
      { ...store, start: () => Promise.reject(new Error('a dry run starts nothing')) },
      { journey: order.journey, launchId: order.launchId, audience: order.audience, dryRun: true },
    );
  } finally {
    dynamo.destroy();
  }
}

async function launchThroughStack(target: Target, journey: string, body: Record<string, unknown>): Promise<LaunchReport> {
  const url = target.outputs.LaunchUrl;
  if (!url) throw new Error('the stack has no launch URL: deploy it first');
  const answer = await postSigned(`${url.replace(/\/$/, '')}/journeys/${journey}/launches`, body, target.clientConfig);
  if (answer.status !== 200) throw new Error(`the launcher answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as LaunchReport;
}
