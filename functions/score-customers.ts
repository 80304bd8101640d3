/**
 * The retain stage's daily scoring (a scheduled rule): RFM segments and churn risk for the whole
 * customer base, recorded as `profile.updated` events from `lifecycle` for the customers whose
 * scores changed. Segments such as champions and at-risk read these attributes.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { EnvVars, required } from '#shared/config.ts';
import { DetailTypes, LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import { createEmitter } from '#shared/events/emitter.ts';
import { logger } from '#shared/logger.ts';
import { runDailyScoring } from '#shared/scoring/daily-scoring.ts';

const store = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable) };
const emitter = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: LIFECYCLE_SOURCE });

async function scoreHandler(): Promise<{ customers: number; changed: number }> {
  const report = await runDailyScoring({
    ...store,
    now: new Date(),
    emit: async (events) => {
      await emitter.emit(
        events.map((event) => ({
          detailType: DetailTypes.ProfileUpdated,
          detail: { eventId: event.eventId, customer: { id: event.customerId }, data: { attributes: event.attributes } },
        })),
      );
    },
  });
  logger.info('customer base scored', { customers: report.customers, changed: report.changed });
  return report;
}

export const handler = middy(scoreHandler).use(injectLambdaContext(logger));
