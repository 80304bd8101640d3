/**
 * Forgets a customer, on the `customer.erasure.requested` event (which the CLI and the API's
 * `POST /customers/{id}/erasure` also put on the bus): see shared/privacy.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { schedulerClient } from '#shared/clients/scheduler.ts';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { EnvVars, required } from '#shared/config.ts';
import { InvalidEventError } from '#shared/errors.ts';
import { DetailTypes, LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import { parseEvent } from '#shared/events/parse.ts';
import { deleteWakeSchedule } from '#shared/journeys/wake-schedules.ts';
import { logger } from '#shared/logger.ts';
import { eraseCustomer, type EraseDeps } from '#shared/privacy/index.ts';

const emitter = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: LIFECYCLE_SOURCE });

const deps: EraseDeps = {
  ddb: documentClient(),
  tableName: required(EnvVars.ProfileTable),
  clock: () => new Date(),
  cancelWake: (name) => deleteWakeSchedule(schedulerClient(), name),
  putEvent: async (detailType, detail) => {
    await emitter.emit([{ detailType, detail } as EmitInput]);
  },
};

async function eraseHandler(input: unknown): Promise<void> {
  const raw = (input ?? {}) as { 'detail-type'?: unknown; source?: unknown; detail?: unknown };
  const parsed = parseEvent({ detailType: raw['detail-type'], source: raw.source, detail: raw.detail });
  if (!parsed.ok || parsed.event.detailType !== DetailTypes.CustomerErasureRequested)
    throw new InvalidEventError(parsed.ok ? 'not an erasure request' : parsed.reason);
  const { customer, data } = parsed.event.detail;
  const report = await eraseCustomer(deps, {
    customer: {
      ...(customer.id && { id: customer.id }),
      ...(customer.email && { email: customer.email }),
      ...(customer.anonymousId && { anonymousId: customer.anonymousId }),
    },
    requestId: data.requestId,
  });
  // The customer id and counts only: never the address.
  logger.info('customer erased', { requestId: data.requestId, ...report });
}

export const handler = middy(eraseHandler).use(injectLambdaContext(logger));
