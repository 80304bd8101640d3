/**
 * The system's HTTP API, on a function URL with IAM auth (callers sign with SigV4; the CLI and the
 * console call it as marketing and operators):
 * - `POST /journeys/{name}/launches` — launch (or dry-run) a journey on a segment or a list; the
 *   launch id makes a repeated request start each run once;
 * - `POST /customers/{id}/erasure` — ask for a customer to be forgotten: the request goes on the
 *   bus as `customer.erasure.requested` for the eraser (202: accepted, not yet done).
 * A refused request is answered with its reason and logged with it, so refusals can be counted.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { EnvVars, required } from '#shared/config.ts';
import { countNotActed } from '#shared/decisions.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import { createEmitter, EventValidationError } from '#shared/events/emitter.ts';
import { LaunchError } from '#shared/journeys/launch.ts';
import { launchNamed, reportLaunch } from '#shared/journeys/launcher-wiring.ts';
import { logger } from '#shared/logger.ts';

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
  /** The segment's count from a dry run: the launch's progress is shown as a share of it. */
  total: z.number().int().nonnegative().optional(),
});
const erasureBody = z.object({ requestId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), reason: z.string().max(200).optional() });
/** The Source of erasure requests taken over HTTP. */
const API_SOURCE = 'lifecycle.api';
const requests = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: API_SOURCE });

type Response = { statusCode: number; headers: Record<string, string>; body: string };

/** An HTTP answer; a refusal is logged and counted with its status. */
function json(statusCode: number, body: { readonly message?: string } | object): Response {
  if (statusCode >= 400) {
    logger.warn('api request refused', { status: statusCode, reason: 'message' in body ? body.message : undefined });
    countNotActed('not-changed', `http-${statusCode}`);
  }
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const issuesOf = (error: z.ZodError) => error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');

async function requestErasure(customerId: string, body: unknown): Promise<Response> {
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

async function launch(journey: string, body: unknown): Promise<Response> {
  const parsed = launchBody.safeParse(body);
  if (!parsed.success) return json(400, { message: issuesOf(parsed.error) });
  try {
    const report = await launchNamed({ journey, ...parsed.data });
    reportLaunch(report, parsed.data.dryRun);
    return json(200, report);
  } catch (error) {
    if (error instanceof LaunchError) return json(404, { message: error.message });
    throw error;
  }
}

async function apiHandler(input: unknown): Promise<Response> {
  const request = httpRequest.safeParse(input);
  if (!request.success) return json(400, { message: 'not a function URL request' });
  const { requestContext, rawPath, body, isBase64Encoded } = request.data;
  const launchRoute = /^\/journeys\/([a-z][a-z0-9-]{1,40})\/launches\/?$/.exec(rawPath);
  const erasureRoute = /^\/customers\/([^/]{1,200})\/erasure\/?$/.exec(rawPath);
  if ((!launchRoute && !erasureRoute) || requestContext.http.method !== 'POST')
    return json(404, { message: 'POST /journeys/{name}/launches or POST /customers/{id}/erasure' });
  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? '{}'));
  } catch {
    return json(400, { message: 'the body must be JSON' });
  }
  if (erasureRoute) return requestErasure(decodeURIComponent(erasureRoute[1] ?? ''), parsedBody);
  return launch(launchRoute?.[1] ?? '', parsedBody);
}

export const handler = middy(apiHandler).use(injectLambdaContext(logger));
