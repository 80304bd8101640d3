/**
 * The trigger gate: a journey's trigger rule sends each event it matches here, as
 * `{ "trigger": { "journey": <name>, "event": <the event> } }`, and a run starts only for a
 * customer who may enter (the entry rules, the profile filter, re-entry and consent).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { countNotActed } from '#shared/decisions.ts';
import { InvalidEventError } from '#shared/errors.ts';
import { describeIssues } from '#shared/events/parse.ts';
import { admitNamed } from '#shared/journeys/launcher-wiring.ts';
import type { GateOutcome } from '#shared/journeys/trigger-gate.ts';
import { logger } from '#shared/logger.ts';

const triggered = z.object({ trigger: z.object({ journey: z.string(), event: z.unknown() }) });

async function triggerHandler(input: unknown): Promise<GateOutcome> {
  const parsed = triggered.safeParse(input);
  if (!parsed.success) throw new InvalidEventError(`not a journey trigger: ${describeIssues(parsed.error.issues, input)}`);
  const { journey, event } = parsed.data.trigger;
  const outcome = await admitNamed(journey, event);
  logger.info('journey trigger', { journey, ...outcome });
  if (!outcome.started) countNotActed('not-entered', outcome.reason);
  return outcome;
}

export const handler = middy(triggerHandler).use(injectLambdaContext(logger));
