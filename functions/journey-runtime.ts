/**
 * The journey runtime: what journeys' state machines call between waits (see shared/journeys/runtime.ts).
 * Input: `{ action, run, … }`; output: what the state machine keeps in its state.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { Condition } from '#shared/conditions/condition.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { InvalidEventError } from '#shared/errors.ts';
import { describeIssues } from '#shared/events/parse.ts';
import { logger } from '#shared/logger.ts';
import { durationText } from '#shared/journeys/definition.ts';
import { OUTCOMES } from '#shared/journeys/metrics.ts';
import {
  assignHoldout,
  assignVariant,
  checkExit,
  enterJourney,
  evaluateBranch,
  finishRun,
  pollForEvent,
  updateProfile,
  waitEnds,
  type RuntimeDeps,
} from '#shared/journeys/runtime.ts';

const env = config();
const deps: RuntimeDeps = {
  ddb: documentClient(),
  tableName: required(EnvVars.ProfileTable),
  clock: () => new Date(),
  consentMode: env[EnvVars.ConsentMode],
  defaultTimezone: env[EnvVars.DefaultTimezone],
  timelineRetentionDays: env[EnvVars.TimelineRetentionDays],
};

const run = z.object({
  journey: z.string(),
  version: z.number(),
  runId: z.string(),
  customerId: z.string(),
  enteredAt: z.string(),
  holdout: z.boolean(),
  variant: z.string().optional(),
  trigger: z.object({ detailType: z.string(), eventId: z.string(), data: z.unknown() }).optional(),
  launchId: z.string().optional(),
});
const exit = { goals: z.array(z.string()).default([]), leave: z.array(z.string()).default([]) };
const reentry = z.union([z.enum(['never', 'always']), z.object({ after: durationText })]);

const request = z.discriminatedUnion('action', [
  z.object({ action: z.literal('enter'), journey: z.object({ name: z.string(), version: z.number(), reentry, profile: Condition.optional() }), runId: z.string(), input: z.unknown() }),
  z.object({ action: z.literal('check'), run, ...exit }),
  z.object({ action: z.literal('poll'), run, event: z.string(), timeoutSeconds: z.number(), startedAt: z.string().nullable(), ...exit }),
  z.object({ action: z.literal('waitEnds'), run, wait: z.record(z.string(), z.unknown()) }),
  z.object({ action: z.literal('evaluate'), run, condition: Condition }),
  z.object({ action: z.literal('split'), run, stepId: z.string(), variants: z.array(z.object({ name: z.string(), percent: z.number() })) }),
  z.object({ action: z.literal('holdout'), run, stepId: z.string(), percent: z.number() }),
  z.object({ action: z.literal('updateProfile'), run, stepId: z.string(), attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) }),
  z.object({ action: z.literal('finish'), run, outcome: z.enum(OUTCOMES) }),
]);

async function runtimeHandler(input: unknown): Promise<unknown> {
  const parsed = request.safeParse(input);
  if (!parsed.success) throw new InvalidEventError(`not a journey runtime request: ${describeIssues(parsed.error.issues, input)}`);
  const call = parsed.data;
  switch (call.action) {
    case 'enter': {
      const entry = await enterJourney(deps, { name: call.journey.name, version: call.journey.version, reentry: call.journey.reentry, ...(call.journey.profile && { profile: call.journey.profile }) }, call.runId, call.input);
      logger.info('journey entry', { journey: call.journey.name, entered: entry.entered, ...(!entry.entered && { reason: entry.reason }) });
      return entry;
    }
    case 'check':
      return checkExit(deps, call.run, call);
    case 'poll':
      return pollForEvent(deps, call.run, { event: call.event, timeoutSeconds: call.timeoutSeconds, ...(call.startedAt && { startedAt: call.startedAt }) }, call);
    case 'waitEnds':
      return waitEnds(deps, call.run, call.wait as Parameters<typeof waitEnds>[2]);
    case 'evaluate':
      return evaluateBranch(deps, call.run, call.condition);
    case 'split':
      return (await assignVariant(deps, call.run, call.stepId, call.variants)).variant;
    case 'holdout':
      return (await assignHoldout(deps, call.run, call.stepId, call.percent)).holdout;
    case 'updateProfile':
      return updateProfile(deps, call.run, call.stepId, call.attributes);
    case 'finish': {
      const finished = await finishRun(deps, call.run, call.outcome);
      logger.info('journey run finished', { journey: call.run.journey, outcome: call.outcome });
      return finished;
    }
  }
}

export const handler = middy(runtimeHandler).use(injectLambdaContext(logger));
