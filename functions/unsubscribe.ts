/**
 * The endpoint behind the links in emails (a function URL): one-click unsubscribe and the
 * preference page, and (`/survey`) one-click survey answers. A consent change or an answer is
 * recorded on the profile at once, through the same code that records events, and put on the bus
 * for everything else that listens.
 */
import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { secretReader, secretsClient } from '#shared/clients/secrets.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { DetailTypes, LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import { createEmitter } from '#shared/events/emitter.ts';
import { parseEvent } from '#shared/events/parse.ts';
import { countNotActed } from '#shared/decisions.ts';
import { logger } from '#shared/logger.ts';
import { handlePreferences, type PreferencesDeps } from '#shared/outreach/preferences.ts';
import { handleSurveyAnswer, type SurveyAnswerDeps } from '#shared/outreach/survey-answer.ts';
import { customerRefFor } from '#shared/profile/customer-ref.ts';
import { recordEvent } from '#shared/profile/record-event.ts';
import { readProfile } from '#shared/profile/store.ts';

const env = config();
const store = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable) };
const emitter = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: LIFECYCLE_SOURCE });

/** Records an event the customer made by following a link: on the profile now, and on the bus. */
async function recordLinkEvent(
  detailType: typeof DetailTypes.ConsentUpdated | typeof DetailTypes.SurveyResponded,
  customerId: string,
  eventId: string,
  data: Record<string, unknown>,
): Promise<void> {
  const profile = await readProfile(store, customerId);
  const detail = { eventId, occurredAt: new Date().toISOString(), customer: customerRefFor(customerId, profile), data };
  const parsed = parseEvent({ detailType, source: LIFECYCLE_SOURCE, detail });
  if (!parsed.ok) throw new Error(`${detailType} is invalid: ${parsed.reason}`);
  await recordEvent({ ...store, clock: () => new Date(), timelineRetentionDays: env[EnvVars.TimelineRetentionDays] }, parsed.event);
  await emitter.emit([{ detailType, detail } as Parameters<typeof emitter.emit>[0][number]]);
}

const secrets = secretReader(secretsClient, required(EnvVars.UnsubscribeSecretArn));

const surveyDeps: SurveyAnswerDeps = {
  clock: () => new Date(),
  secrets,
  brandName: env[EnvVars.BrandName],
  recordAnswer: (claims, score, eventId) =>
    recordLinkEvent(DetailTypes.SurveyResponded, claims.customerId, eventId, { surveyId: claims.surveyId, kind: claims.kind, score }),
};

const deps: PreferencesDeps = {
  clock: () => new Date(),
  secrets,
  readProfile: (customerId) => readProfile(store, customerId),
  brandName: env[EnvVars.BrandName],
  recordConsent: (customerId, topic, subscribed, said) =>
    recordLinkEvent(DetailTypes.ConsentUpdated, customerId, `consent-${randomUUID()}`, { channel: 'email', ...(topic && { topic }), subscribed, ...said }),
};

const urlEvent = z.object({
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
  rawPath: z.string().optional(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' };

async function unsubscribeHandler(input: unknown) {
  const event = urlEvent.safeParse(input);
  if (!event.success) {
    logger.warn('request refused', { status: 400, reason: 'not a function URL request' });
    countNotActed('not-changed', 'http-400');
    return { statusCode: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad request' };
  }
  const { requestContext, queryStringParameters, body, isBase64Encoded, rawPath } = event.data;
  if (rawPath?.replace(/\/$/, '').endsWith('/survey')) {
    const answer = await handleSurveyAnswer(surveyDeps, { token: queryStringParameters?.token, score: queryStringParameters?.score });
    logger.info('survey answer', { status: answer.status });
    if (answer.status >= 400) countNotActed('not-changed', `http-${answer.status}`);
    return { statusCode: answer.status, headers: PAGE_HEADERS, body: answer.html };
  }
  const text = body === undefined ? '' : isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  const response = await handlePreferences(deps, {
    method: requestContext.http.method,
    token: queryStringParameters?.token,
    form: new URLSearchParams(text),
  });
  logger.info('preferences request', { method: requestContext.http.method, status: response.status });
  if (response.status >= 400) countNotActed('not-changed', `http-${response.status}`);
  return {
    statusCode: response.status,
    headers: PAGE_HEADERS,
    body: response.html,
  };
}

export const handler = middy(unsubscribeHandler).use(injectLambdaContext(logger));
