/**
 * Launches journeys: on the `journey.launch.requested` event, on `POST /journeys/{name}/launches`
 * (a function URL with IAM auth: callers sign with SigV4), and on a journey's segment schedule;
 * takes erasure requests on the same URL (`POST /customers/{id}/erasure`: put on the bus as
 * `customer.erasure.requested`, for the eraser);
 * and starts event-triggered journeys for the customers who may enter them (the trigger gate).
 * Journey and segment definitions are compiled into the bundle at synth time.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { InvalidEventError } from '#shared/errors.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import { createEmitter, EventValidationError } from '#shared/events/emitter.ts';
import { parseEvent } from '#shared/events/parse.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { startRun } from '#shared/journeys/engine.ts';
import type { EntryInput } from '#shared/journeys/runtime.ts';
import { engineDeps } from '#shared/journeys/engine-wiring.ts';
import { launchJourney, LaunchError, type LaunchReport } from '#shared/journeys/launch.ts';
import { admitTrigger, type GateOutcome } from '#shared/journeys/trigger-gate.ts';
import { logger } from '#shared/logger.ts';
import type { SegmentDefinition } from '#shared/segments/segment.ts';

declare const __LIFECYCLE_DEFINITIONS__: string | undefined;

const env = config();
// Checked when the app was synthesized (infra/definitions.ts) and fixed in the bundle since: a cold
// start does not check it again.
const definitions = JSON.parse(typeof __LIFECYCLE_DEFINITIONS__ === 'string' ? __LIFECYCLE_DEFINITIONS__ : '{"journeys":[],"segments":[],"versions":[]}') as {
  journeys: JourneyDefinition[];
  segments: SegmentDefinition[];
  versions: JourneyDefinition[];
};
// Runs start here, in the same call that admits them; their wake-ups go to the engine function.
const engine = engineDeps(definitions, () => required(EnvVars.JourneyEngineArn));

const deps = {
  ddb: documentClient(),
  tableName: required(EnvVars.ProfileTable),
  now: () => Date.now(),
  consentMode: env[EnvVars.ConsentMode],
  ratePerSecond: env[EnvVars.LaunchRate],
  start: (journey: JourneyDefinition, runId: string, input: EntryInput) => startRun(engine, journey, runId, input),
};

interface Launch {
  readonly journey: string;
  readonly launchId: string;
  readonly segment?: string;
  readonly customerIds?: readonly string[];
  readonly dryRun?: boolean;
}

async function launch(request: Launch): Promise<LaunchReport> {
  const journey = definitions.journeys.find((candidate) => candidate.name === request.journey);
  if (!journey) throw new LaunchError(`no journey ${request.journey}`);
  const segmentName = request.segment ?? ('segment' in journey.trigger ? journey.trigger.segment : undefined);
  const segment = definitions.segments.find((candidate) => candidate.name === segmentName);
  if (!request.customerIds && !segment) throw new LaunchError(segmentName ? `no segment ${segmentName}` : 'a launch needs a segment or customerIds');
  const audience = request.customerIds ? { customerIds: request.customerIds } : { segment: segment as NonNullable<typeof segment> };
  const report = await launchJourney(deps, { journey, launchId: request.launchId, audience, ...(request.dryRun && { dryRun: true }) });
  logger.info('journey launched', {
    journey: report.journey,
    launchId: report.launchId,
    considered: report.considered,
    started: report.started,
    alreadyStarted: report.alreadyStarted,
    ineligible: report.ineligible,
  });
  return report;
}

const httpRequest = z.object({
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
  rawPath: z.string(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});
const launchBody = z.object({
  launchId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  segment: z.string().optional(),
  customerIds: z.array(z.string()).max(10_000).optional(),
  dryRun: z.boolean().optional(),
});
const erasureBody = z.object({ requestId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), reason: z.string().max(200).optional() });
/** The Source of erasure requests taken over HTTP. */
const API_SOURCE = 'lifecycle.api';
const requests = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: API_SOURCE });
const scheduled = z.object({ scheduled: z.object({ journey: z.string(), segment: z.string(), at: z.string() }) });
const triggered = z.object({ trigger: z.object({ journey: z.string(), event: z.unknown() }) });

/** An event a journey's trigger rule matched: a run starts only if the customer may enter. */
async function gate(journeyName: string, event: unknown): Promise<GateOutcome> {
  const journey = definitions.journeys.find((candidate) => candidate.name === journeyName);
  if (!journey) throw new LaunchError(`no journey ${journeyName}`);
  const outcome = await admitTrigger(deps, journey, event);
  logger.info('journey trigger', { journey: journeyName, ...outcome });
  return outcome;
}

/** An HTTP answer. A refused launch request is logged with its reason, so that refusals can be counted. */
function json(statusCode: number, body: { readonly message?: string } | object) {
  if (statusCode >= 400) logger.warn('api request refused', { status: statusCode, reason: 'message' in body ? body.message : undefined });
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

type HttpRequest = z.infer<typeof httpRequest>;
const issuesOf = (error: z.ZodError) => error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');

/** `POST /customers/{id}/erasure`: the request goes on the bus, where the eraser takes it (202: accepted, not yet done). */
async function requestErasure(customerId: string, body: unknown) {
  const parsed = erasureBody.safeParse(body);
  if (!parsed.success) return json(400, { message: issuesOf(parsed.error) });
  const { requestId, reason } = parsed.data;
  try {
    await requests.emit([
      {
        detailType: DetailTypes.CustomerErasureRequested,
        detail: { eventId: `erasure-${requestId}`, customer: { id: customerId }, data: { requestId, ...(reason && { reason }) } },
      },
    ]);
  } catch (error) {
    if (error instanceof EventValidationError) return json(400, { message: error.message });
    throw error;
  }
  return json(202, { requestId, customerId, status: 'requested' });
}

async function serveHttp(request: HttpRequest) {
  const text = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64').toString('utf8') : (request.body ?? '{}');
  const launchRoute = /^\/journeys\/([a-z][a-z0-9-]{1,40})\/launches\/?$/.exec(request.rawPath);
  const erasureRoute = /^\/customers\/([^/]{1,200})\/erasure\/?$/.exec(request.rawPath);
  if ((!launchRoute && !erasureRoute) || request.requestContext.http.method !== 'POST')
    return json(404, { message: 'POST /journeys/{name}/launches or POST /customers/{id}/erasure' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return json(400, { message: 'the body must be JSON' });
  }
  if (erasureRoute) return requestErasure(decodeURIComponent(erasureRoute[1] ?? ''), body);
  return serveLaunch(launchRoute?.[1] ?? '', body);
}

async function serveLaunch(journey: string, body: unknown) {
  const parsed = launchBody.safeParse(body);
  if (!parsed.success) return json(400, { message: issuesOf(parsed.error) });
  try {
    return json(200, await launch({ journey, ...parsed.data }));
  } catch (error) {
    if (error instanceof LaunchError) return json(404, { message: error.message });
    throw error;
  }
}

async function launcherHandler(input: unknown): Promise<unknown> {
  const http = httpRequest.safeParse(input);
  if (http.success) return serveHttp(http.data);
  const schedule = scheduled.safeParse(input);
  if (schedule.success) {
    const { journey, segment, at } = schedule.data.scheduled;
    return launch({ journey, segment, launchId: `scheduled-${at.replace(/[^0-9]/g, '').slice(0, 14)}` });
  }
  const trigger = triggered.safeParse(input);
  if (trigger.success) return gate(trigger.data.trigger.journey, trigger.data.trigger.event);
  const raw = (input ?? {}) as { 'detail-type'?: unknown; source?: unknown; detail?: unknown };
  const event = parseEvent({ detailType: raw['detail-type'], source: raw.source, detail: raw.detail });
  if (!event.ok || event.event.detailType !== 'journey.launch.requested') throw new InvalidEventError(event.ok ? 'not a launch request' : event.reason);
  const { launchId, journey, segment, customerIds } = event.event.detail.data;
  return launch({ journey, launchId, ...(segment && { segment }), ...(customerIds && { customerIds }) });
}

export const handler = middy(launcherHandler).use(injectLambdaContext(logger));
