/**
 * Evaluates segments on their schedules: the segments due at one time are counted in one read of
 * the profile store, and each one's member count is kept (its latest snapshot). Input, from the
 * schedule's rule: `{ "evaluate": { "segments": [names], "at": <the rule's time> } }`. The
 * definitions are compiled into the bundle at synth time.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { logger } from '#shared/logger.ts';
import { countSegments, type SegmentDefinition } from '#shared/segments/index.ts';
import { recordSnapshot, type SegmentSnapshot } from '#shared/segments/snapshot.ts';

declare const __LIFECYCLE_SEGMENTS__: string | undefined;

// Checked when the app was synthesized (infra/definitions.ts) and fixed in the bundle since: a cold
// start does not check it again.
const segments = JSON.parse(typeof __LIFECYCLE_SEGMENTS__ === 'string' ? __LIFECYCLE_SEGMENTS__ : '[]') as SegmentDefinition[];
const deps = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable), now: () => Date.now(), consentMode: config()[EnvVars.ConsentMode] };
const evaluation = z.object({ evaluate: z.object({ segments: z.array(z.string()).min(1), at: z.string() }) });

async function evaluateHandler(input: unknown): Promise<SegmentSnapshot[]> {
  const { segments: names, at } = evaluation.parse(input).evaluate;
  const due = names.map((name) => {
    const segment = segments.find((candidate) => candidate.name === name);
    if (!segment) throw new Error(`no segment ${name}`);
    return segment;
  });
  const counts = await countSegments(deps, due);
  return Promise.all(
    due.map(async (segment, index) => {
      const count = counts[index];
      if (!count) throw new Error(`segment ${segment.name} was not counted`);
      await recordSnapshot(deps, segment.name, count, new Date(at));
      logger.info('segment evaluated', { segment: segment.name, members: count.members, examined: count.examined, plan: count.plan.kind });
      return { segment: segment.name, members: count.members, examined: count.examined, plan: count.plan.kind, evaluatedAt: at };
    }),
  );
}

export const handler = middy(evaluateHandler).use(injectLambdaContext(logger));
