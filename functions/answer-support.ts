/**
 * The support workflow's answer step: for a `support.requested` event already recorded, answers
 * from the knowledge base or escalates (shared/stages/support-answer.ts). Input: the workflow's
 * state — the EventBridge event and `recorded` (the customer it was recorded for). Output: the
 * outcome, the emails to send and the events to put on the bus. Logs no message text.
 */
import { readFileSync } from 'node:fs';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { EnvVars, required } from '#shared/config.ts';
import { InvalidEventError } from '#shared/errors.ts';
import { DetailTypes } from '#shared/events/catalog.ts';
import { parseEvent } from '#shared/events/parse.ts';
import { logger } from '#shared/logger.ts';
import { readProfile } from '#shared/profile/store.ts';
import { answerSupportRequest, type SupportReactions } from '#shared/stages/support-answer.ts';
import { createAnswerer } from '#shared/support/answerer.ts';
import { SUPPORT_KNOWLEDGE_FILE, type PreparedKnowledge } from '#shared/support/prepared-knowledge.ts';

const store = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable) };
// The knowledge base, checked and indexed at synthesis, beside this bundle.
const answerer = createAnswerer(JSON.parse(readFileSync(new URL(`./${SUPPORT_KNOWLEDGE_FILE}`, import.meta.url), 'utf8')) as PreparedKnowledge);

const state = z.object({ 'detail-type': z.unknown(), source: z.unknown(), detail: z.unknown(), recorded: z.object({ customerId: z.string() }) });

async function answerHandler(input: unknown): Promise<SupportReactions> {
  const parsedState = state.safeParse(input);
  if (!parsedState.success) throw new InvalidEventError('input must be the support workflow state');
  const parsed = parseEvent({ detailType: parsedState.data['detail-type'], source: parsedState.data.source, detail: parsedState.data.detail });
  if (!parsed.ok) throw new InvalidEventError(parsed.reason);
  const event = parsed.event;
  // The workflow routes only support.requested here: anything else is a wiring mistake, not a request to drop quietly.
  if (event.detailType !== DetailTypes.SupportRequested)
    throw new InvalidEventError(`the answer step takes ${DetailTypes.SupportRequested}, not ${event.detailType}`);
  const { customerId } = parsedState.data.recorded;
  const reactions = answerSupportRequest(event, customerId, await readProfile(store, customerId), answerer, new Date());
  logger.info('support request handled', {
    outcome: reactions.outcome,
    channel: event.detail.data.channel,
    ...(reactions.lateByHours !== undefined && { lateByHours: reactions.lateByHours }),
  });
  return reactions;
}

export const handler = middy(answerHandler).use(injectLambdaContext(logger));
