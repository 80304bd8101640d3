/**
 * Launches journeys on their segments or lists: on the `journey.launch.requested` event, and on a
 * journey's segment schedule (the rule's input names the journey, the segment and the firing time,
 * from which the launch id comes, so a redelivered firing launches once).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { InvalidEventError } from '#shared/errors.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import { parseEvent } from '#shared/events/parse.ts';
import type { LaunchReport } from '#shared/journeys/launch.ts';
import { launchNamed, reportLaunch, type NamedLaunch } from '#shared/journeys/launcher-wiring.ts';
import { logger } from '#shared/logger.ts';

const scheduled = z.object({ scheduled: z.object({ journey: z.string(), segment: z.string(), at: z.string() }) });

/** The launch a request asks for: a schedule's firing, or a launch request event. */
function launchOf(input: unknown): NamedLaunch {
  const schedule = scheduled.safeParse(input);
  if (schedule.success) {
    const { journey, segment, at } = schedule.data.scheduled;
    return { journey, segment, launchId: `scheduled-${at.replace(/[^0-9]/g, '').slice(0, 14)}` };
  }
  const raw = (input ?? {}) as { 'detail-type'?: unknown; source?: unknown; detail?: unknown };
  const event = parseEvent({ detailType: raw['detail-type'], source: raw.source, detail: raw.detail });
  if (!event.ok) throw new InvalidEventError(event.reason);
  if (event.event.detailType !== DetailTypes.JourneyLaunchRequested) throw new InvalidEventError('not a launch request');
  const { launchId, journey, segment, customerIds } = event.event.detail.data;
  return { journey, launchId, ...(segment && { segment }), ...(customerIds && { customerIds }) };
}

async function launcherHandler(input: unknown): Promise<LaunchReport> {
  const request = launchOf(input);
  const report = await launchNamed(request);
  reportLaunch(report, request.dryRun);
  return report;
}

export const handler = middy(launcherHandler).use(injectLambdaContext(logger));
