/**
 * The unsubscribe endpoint (a function URL): one-click unsubscribe and the preference page.
 * A consent change is recorded on the profile at once, through the same code that records events,
 * and put on the bus for everything else that listens.
 */
import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { secretsClient } from '#shared/clients/aws.ts';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { secretReader } from '#shared/clients/secrets.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { DetailTypes, LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import { createEmitter } from '#shared/events/emitter.ts';
import { parseEvent } from '#shared/events/parse.ts';
import { logger } from '#shared/logger.ts';
import { handlePreferences, type PreferencesDeps } from '#shared/outreach/preferences.ts';
import { customerRefFor } from '#shared/profile/customer-ref.ts';
import { recordEvent } from '#shared/profile/record-event.ts';
import { readProfile } from '#shared/profile/store.ts';

const env = config();
const store = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable) };
const emitter = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: LIFECYCLE_SOURCE });

const deps: PreferencesDeps = {
  clock: () => new Date(),
  secrets: secretReader(secretsClient, required(EnvVars.UnsubscribeSecretArn)),
  readProfile: (customerId) => readProfile(store, customerId),
  brandName: env[EnvVars.BrandName],
  recordConsent: async (customerId, topic, subscribed) => {
    const profile = await readProfile(store, customerId);
    const detail = {
      eventId: `consent-${randomUUID()}`,
      occurredAt: new Date().toISOString(),
      customer: customerRefFor(customerId, profile),
      data: { channel: 'email' as const, ...(topic && { topic }), subscribed },
    };
    const parsed = parseEvent({ detailType: DetailTypes.ConsentUpdated, source: LIFECYCLE_SOURCE, detail });
    if (!parsed.ok) throw new Error(`consent change is invalid: ${parsed.reason}`);
    await recordEvent({ ...store, clock: () => new Date(), timelineRetentionDays: env[EnvVars.TimelineRetentionDays] }, parsed.event);
    await emitter.emit([{ detailType: DetailTypes.ConsentUpdated, detail }]);
  },
};

const urlEvent = z.object({
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

async function unsubscribeHandler(input: unknown) {
  const event = urlEvent.safeParse(input);
  if (!event.success) return { statusCode: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad request' };
  const { requestContext, queryStringParameters, body, isBase64Encoded } = event.data;
  const text = body === undefined ? '' : isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  const response = await handlePreferences(deps, {
    method: requestContext.http.method,
    token: queryStringParameters?.token,
    form: new URLSearchParams(text),
  });
  logger.info('preferences request', { method: requestContext.http.method, status: response.status });
  return {
    statusCode: response.status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' },
    body: response.html,
  };
}

export const handler = middy(unsubscribeHandler).use(injectLambdaContext(logger));
