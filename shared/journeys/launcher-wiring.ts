/**
 * What the functions that start runs share in Lambda — the launcher (launch requests), the trigger
 * gate (journeys' trigger events) and the API (launches over HTTP): the journeys and segments as
 * reviewed, compiled into the bundle at synth time (`__LIFECYCLE_DEFINITIONS__`), and the store and
 * engine from the function's environment. Runs start in the call that admits them; their wake-ups
 * go to the engine function.
 */
import { documentClient } from '../clients/dynamodb.ts';
import { EnvVars, config, required } from '../config.ts';
import { countNotActed } from '../decisions.ts';
import { logger } from '../logger.ts';
import type { SegmentDefinition } from '../segments/index.ts';
import type { JourneyDefinition } from './definition.ts';
import { startRun } from './engine.ts';
import { engineDeps } from './engine-wiring.ts';
import { launchJourney, LaunchError, type LaunchDeps, type LaunchReport } from './launch.ts';
import type { EntryInput } from './runtime.ts';
import { admitTrigger, type GateOutcome } from './trigger-gate.ts';

declare const __LIFECYCLE_DEFINITIONS__: string | undefined;

// Checked when the app was synthesized (infra/definitions.ts) and fixed in the bundle since: a cold
// start does not check it again.
const definitions = JSON.parse(typeof __LIFECYCLE_DEFINITIONS__ === 'string' ? __LIFECYCLE_DEFINITIONS__ : '{"journeys":[],"segments":[],"versions":[]}') as {
  journeys: JourneyDefinition[];
  segments: SegmentDefinition[];
  versions: JourneyDefinition[];
};

const env = config();
const engine = engineDeps(definitions, () => required(EnvVars.JourneyEngineArn));
const deps: LaunchDeps = {
  ddb: documentClient(),
  tableName: required(EnvVars.ProfileTable),
  now: () => Date.now(),
  consentMode: env[EnvVars.ConsentMode],
  ratePerSecond: env[EnvVars.LaunchRate],
  start: (journey: JourneyDefinition, runId: string, input: EntryInput) => startRun(engine, journey, runId, input),
};

/** A launch as callers name it: the journey and segment by name. */
export interface NamedLaunch {
  readonly journey: string;
  readonly launchId: string;
  /** @default the journey's own segment */
  readonly segment?: string;
  readonly customerIds?: readonly string[];
  readonly dryRun?: boolean;
  /** The segment's count from a dry run, for the progress written as the launch goes. */
  readonly total?: number;
}

const journeyNamed = (name: string): JourneyDefinition => {
  const journey = definitions.journeys.find((candidate) => candidate.name === name);
  if (!journey) throw new LaunchError(`no journey ${name}`);
  return journey;
};

/**
 * Launches a journey named by a request, on a list of customers or a segment.
 * @throws LaunchError when the journey or segment does not exist, or the launch id is malformed
 */
export async function launchNamed(request: NamedLaunch): Promise<LaunchReport> {
  const journey = journeyNamed(request.journey);
  const segmentName = request.segment ?? ('segment' in journey.trigger ? journey.trigger.segment : undefined);
  const segment = definitions.segments.find((candidate) => candidate.name === segmentName);
  if (!request.customerIds && !segment) throw new LaunchError(segmentName ? `no segment ${segmentName}` : 'a launch needs a segment or customerIds');
  const audience = request.customerIds ? { customerIds: request.customerIds } : { segment: segment as NonNullable<typeof segment> };
  return launchJourney(deps, {
    journey,
    launchId: request.launchId,
    audience,
    ...(request.dryRun && { dryRun: true }),
    ...(request.total !== undefined && { total: request.total }),
  });
}

/**
 * An event a journey's trigger rule matched: a run starts only if the customer may enter.
 * @throws LaunchError when the journey does not exist
 */
export function admitNamed(journeyName: string, event: unknown): Promise<GateOutcome> {
  return admitTrigger(deps, journeyNamed(journeyName), event);
}

/** Logs a launch's counts, and counts those it did not enter (a dry run decides nothing). */
export function reportLaunch(report: LaunchReport, dryRun: boolean | undefined): void {
  const { journey, launchId, considered, started, alreadyStarted, ineligible } = report;
  logger.info('journey launched', { journey, launchId, considered, started, alreadyStarted, ineligible });
  if (dryRun) return;
  countNotActed('not-entered', 'already-started', alreadyStarted);
  countNotActed('not-entered', 'ineligible', ineligible);
}
