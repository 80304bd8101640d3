/**
 * The definitions marketing writes as files, loaded and validated before the stack is built
 * (loading TypeScript journeys is asynchronous; constructing a stack is not).
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DefinitionError } from '#shared/definitions/validate.ts';
import { allSteps, type JourneyDefinition } from '#shared/journeys/definition.ts';
import { lockFile, lockProblems, type VersionLock } from '#shared/journeys/fingerprint.ts';
import { loadJourneyFiles, REPOSITORY_JOURNEYS_DIR, type NotDeployableJourney } from '#shared/journeys/load-journeys.ts';
import { loadVersions } from '#shared/journeys/versions.ts';
import { createRenderer, REPOSITORY_TEMPLATES_DIR } from '#shared/outreach/render.ts';
import { loadSegments, REPOSITORY_SEGMENTS_DIR } from '#shared/segments/load-segments.ts';
import type { Segment } from '#shared/segments/segment.ts';

export interface Definitions {
  readonly journeys: readonly JourneyDefinition[];
  readonly segments: readonly Segment[];
  /** The versions kept for participants still on them (workflows/journey-versions). */
  readonly versions: readonly JourneyDefinition[];
  /** Journey files marked `notDeployable`: left out of the stack, with what must be fixed. */
  readonly notDeployable: readonly NotDeployableJourney[];
}

export interface DefinitionDirs {
  readonly journeysDir?: string;
  readonly segmentsDir?: string;
}

export interface LoadOptions extends DefinitionDirs {
  /**
   * Check the journeys against the version lock beside their folder, when there is one: a journey
   * that changed without a new version stops synthesis. @default true
   */
  readonly checkLock?: boolean;
  /** Where the email templates that send steps name are. @default shared/outreach/templates */
  readonly templatesDir?: string;
}

/** The version lock beside a journeys folder, or undefined when there is none. */
export function readLock(journeysDir = REPOSITORY_JOURNEYS_DIR): VersionLock | undefined {
  const file = lockFile(journeysDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as VersionLock) : undefined;
}

/** Loads and cross-checks journeys and segments; a problem stops synthesis with a message naming the file. */
export async function loadDefinitions(options: LoadOptions = {}): Promise<Definitions> {
  const journeysDir = options.journeysDir ?? REPOSITORY_JOURNEYS_DIR;
  const { journeys, notDeployable } = await loadJourneyFiles(journeysDir);
  const lock = options.checkLock === false ? undefined : readLock(journeysDir);
  const unlocked = lock ? lockProblems(journeys, lock) : [];
  if (unlocked.length > 0) throw new DefinitionError(unlocked.join('\n'));
  const segments = await loadSegments(options.segmentsDir ?? REPOSITORY_SEGMENTS_DIR);
  const problems = [...missingSegments(journeys, segments), ...missingTemplates(journeys, options.templatesDir ?? REPOSITORY_TEMPLATES_DIR)];
  if (problems.length > 0) throw new DefinitionError(problems.join('\n'));
  return { journeys, segments, versions: loadVersions(journeysDir), notDeployable };
}

export function missingSegments(journeys: readonly JourneyDefinition[], segments: readonly Segment[]): string[] {
  const names = new Set(segments.map((segment) => segment.name));
  return journeys.flatMap((journey) =>
    'segment' in journey.trigger && !names.has(journey.trigger.segment)
      ? [`journey ${journey.name}: trigger.segment: no segment ${journey.trigger.segment}`]
      : [],
  );
}

export function missingTemplates(journeys: readonly JourneyDefinition[], templatesDir: string): string[] {
  const templates = new Set(createRenderer({ templatesDir }).templates());
  return journeys.flatMap((journey) =>
    allSteps(journey.steps).flatMap((step) =>
      'send' in step && !templates.has(step.send.template)
        ? [`journey ${journey.name}: step "${step.id}": send.template: no template ${step.send.template} in ${relative(process.cwd(), templatesDir) || '.'}`]
        : [],
    ),
  );
}
