/**
 * The definitions marketing writes as files, loaded and validated before the stack is built
 * (loading TypeScript journeys is asynchronous; constructing a stack is not).
 */
import { loadJourneys, REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { loadSegments, REPOSITORY_SEGMENTS_DIR } from '#shared/segments/load-segments.ts';
import type { Segment } from '#shared/segments/segment.ts';
import { DefinitionError } from '#shared/definitions/load-files.ts';

export interface Definitions {
  readonly journeys: readonly JourneyDefinition[];
  readonly segments: readonly Segment[];
}

export interface DefinitionDirs {
  readonly journeysDir?: string;
  readonly segmentsDir?: string;
}

/** Loads and cross-checks journeys and segments; a problem stops synthesis with a message naming the file. */
export async function loadDefinitions(dirs: DefinitionDirs = {}): Promise<Definitions> {
  const journeys = await loadJourneys(dirs.journeysDir ?? REPOSITORY_JOURNEYS_DIR);
  const segments = await loadSegments(dirs.segmentsDir ?? REPOSITORY_SEGMENTS_DIR);
  const names = new Set(segments.map((segment) => segment.name));
  const missing = journeys.filter((journey) => 'segment' in journey.trigger && !names.has(journey.trigger.segment));
  if (missing.length > 0) {
    throw new DefinitionError(missing.map((journey) => `journey ${journey.name}: trigger.segment: no segment ${'segment' in journey.trigger ? journey.trigger.segment : ''}`).join('\n'));
  }
  return { journeys, segments };
}
