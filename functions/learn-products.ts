/**
 * Keeps the recommendation store up to date as orders, carts and product views arrive: co-purchase
 * and co-view counts, and each product's name and price. Input: the EventBridge event (invoked
 * asynchronously by a rule; failures retry, then go to the failure destination).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { EnvVars, required } from '#shared/config.ts';
import { checkOccurredAt, parseEvent } from '#shared/events/parse.ts';
import { countNotActed } from '#shared/decisions.ts';
import { logger } from '#shared/logger.ts';
import { resolveCustomer } from '#shared/profile/resolve-customer.ts';
import { readProfile } from '#shared/profile/store.ts';
import { learnFromEvent } from '#shared/scoring/learn-products.ts';

const deps = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable) };
const eventBridgeEvent = z.object({ 'detail-type': z.unknown(), source: z.unknown(), detail: z.unknown() });

async function learnHandler(input: unknown): Promise<void> {
  const envelope = eventBridgeEvent.safeParse(input);
  const parsed = envelope.success
    ? parseEvent({ detailType: envelope.data['detail-type'], source: envelope.data.source, detail: envelope.data.detail })
    : ({ ok: false, reason: 'input must be an EventBridge event' } as const);
  // The stage workflow parks the same event with the reason (the timing one included); nothing to
  // learn, nothing to retry. A future date would otherwise pin the product's details for good.
  const reason = parsed.ok ? checkOccurredAt(parsed.event.detail.occurredAt, new Date()) : parsed.reason;
  if (!parsed.ok || reason !== undefined) {
    logger.warn('event not learnt from', { reason });
    countNotActed('not-learnt', parsed.ok ? 'timing' : 'invalid-event');
    return;
  }
  const { customerId } = await resolveCustomer(deps, parsed.event.detail.customer);
  const profile = await readProfile(deps, customerId);
  const outcome = await learnFromEvent(deps, parsed.event, profile?.mergedInto ?? customerId, profile);
  logger.info('products learnt', { detailType: parsed.event.detailType, outcome });
}

export const handler = middy(learnHandler).use(injectLambdaContext(logger));
