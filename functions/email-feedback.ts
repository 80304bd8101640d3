/**
 * SES feedback: deliveries, bounces, complaints, opens and clicks from the configuration set's
 * EventBridge destination. Updates suppression and engagement, and announces `email.*` events.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { InvalidEventError } from '#shared/errors.ts';
import { LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import { describeIssues } from '#shared/events/parse.ts';
import { countNotActed } from '#shared/decisions.ts';
import { logger } from '#shared/logger.ts';
import { applyFeedback, type FeedbackDeps } from '#shared/outreach/feedback.ts';
import { SesEvent } from '#shared/outreach/ses-event.ts';

const emitter = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: LIFECYCLE_SOURCE });

const deps: FeedbackDeps = {
  ddb: documentClient(),
  tableName: required(EnvVars.ProfileTable),
  clock: () => new Date(),
  softBounceLimit: config()[EnvVars.SoftBounceLimit],
  announce: async ({ detailType, eventId, occurredAt, customer, data }) => {
    await emitter.emit([{ detailType, detail: { eventId, occurredAt, customer, data } } as EmitInput]);
  },
};

const delivered = z.object({ detail: z.unknown() });

async function feedbackHandler(input: unknown): Promise<void> {
  const event = delivered.safeParse(input);
  const detail = SesEvent.safeParse(event.success ? event.data.detail : undefined);
  if (!detail.success) {
    // Terminal: retrying an event SES did not make would not help; it goes to the failure destination.
    throw new InvalidEventError(`not an SES event: ${describeIssues(detail.error.issues, event.success ? event.data.detail : input)}`);
  }
  const outcome = await applyFeedback(deps, detail.data);
  logger.info('email feedback handled', { eventType: detail.data.eventType, ...outcome });
  if (outcome.status === 'ignored') countNotActed('not-applied', outcome.reason);
}

export const handler = middy(feedbackHandler).use(injectLambdaContext(logger));
