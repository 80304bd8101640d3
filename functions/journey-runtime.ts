/**
 * The journey engine (see shared/journeys/engine.ts): wakes participants when their one-time
 * schedule fires (`{ wake }`) and when an event they wait for or exit on arrives on the bus
 * (`{ event }`, from the journeys' wake rule). Runs are started by the launcher.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { InvalidEventError } from '#shared/errors.ts';
import { describeIssues } from '#shared/events/parse.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { wakeOnEvent, wakeOnSchedule } from '#shared/journeys/engine.ts';
import { engineDeps } from '#shared/journeys/engine-wiring.ts';
import { countNotActed } from '#shared/decisions.ts';
import { logger } from '#shared/logger.ts';

declare const __LIFECYCLE_JOURNEYS__: string | undefined;

// Checked when the app was synthesized (infra/definitions.ts) and fixed in the bundle since: a cold
// start does not check it again.
const bundled = JSON.parse(typeof __LIFECYCLE_JOURNEYS__ === 'string' ? __LIFECYCLE_JOURNEYS__ : '{"journeys":[],"versions":[]}') as {
  journeys: JourneyDefinition[];
  versions: JourneyDefinition[];
};
// The schedules wake this function: its own ARN, known from the first invocation.
let ownArn = '';
const deps = engineDeps(bundled, () => ownArn);

const request = z.union([
  z.object({ wake: z.object({ customerId: z.string(), journey: z.string(), runId: z.string(), schedule: z.string() }) }),
  z.object({ event: z.object({ 'detail-type': z.string(), source: z.string(), detail: z.unknown() }).passthrough() }),
]);

async function engineHandler(input: unknown, context: Context): Promise<unknown> {
  ownArn = context.invokedFunctionArn;
  const parsed = request.safeParse(input);
  if (!parsed.success) throw new InvalidEventError(`not a journey wake-up: ${describeIssues(parsed.error.issues, input)}`);
  if ('wake' in parsed.data) {
    const outcome = await wakeOnSchedule(deps, parsed.data.wake);
    logger.info('journey wake-up', { journey: parsed.data.wake.journey, outcome });
    if (outcome === 'stale') countNotActed('not-moved', 'stale');
    return { outcome };
  }
  const outcomes = await wakeOnEvent(deps, parsed.data.event);
  logger.info('journey event', { detailType: parsed.data.event['detail-type'], outcomes });
  return { outcomes };
}

export const handler = middy(engineHandler).use(injectLambdaContext(logger));
