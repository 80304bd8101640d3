/**
 * `lifecycle journey check <file>`: validates one journey file as synthesis would — the schema, the
 * templates its send steps name, the segment it starts from, the events it names (the schema
 * refuses any not in the catalog) — without synthesizing, so that a pull request can check an
 * imported or hand-written journey on its own.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { missingSegments, missingTemplates } from '#infra/definitions.ts';
import { readDefinitionFile } from '#shared/definitions/load-files.ts';
import { DefinitionError, validateDefinition } from '#shared/definitions/validate.ts';
import { allSteps, eventsThatWake, JourneyDefinition, triggerEvents } from '#shared/journeys/definition.ts';
import { describeJourneyPath } from '#shared/journeys/load-journeys.ts';
import { REPOSITORY_TEMPLATES_DIR } from '#shared/outreach/render.ts';
import { loadSegments, REPOSITORY_SEGMENTS_DIR } from '#shared/segments/load-segments.ts';
import { printJson, reportErrors } from './output.ts';

export interface JourneyCheck {
  readonly file: string;
  /** Absent when the file is not a valid journey. */
  readonly name?: string;
  /** Every reason the journey cannot be deployed as it is; none means it passes. */
  readonly problems: readonly string[];
  /** The catalog's events it reacts to: trigger, goals, leave events, waits. */
  readonly events: readonly string[];
}

export interface CheckDirs {
  readonly templatesDir?: string;
  readonly segmentsDir?: string;
}

export async function checkJourneyFile(file: string, dirs: CheckDirs = {}): Promise<JourneyCheck> {
  let journey: JourneyDefinition;
  try {
    journey = validateDefinition(JourneyDefinition, await readDefinitionFile(resolve(file)), resolve(file), process.cwd(), describeJourneyPath);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { file, problems: error instanceof DefinitionError ? message.split('\n') : [`${file}: ${message}`], events: [] };
  }
  const problems = [...missingTemplates([journey], dirs.templatesDir ?? REPOSITORY_TEMPLATES_DIR)];
  if ('segment' in journey.trigger) {
    try {
      problems.push(...missingSegments([journey], await loadSegments(dirs.segmentsDir ?? REPOSITORY_SEGMENTS_DIR)));
    } catch (error) {
      problems.push(`the segments could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  problems.push(...(journey.notDeployable ?? []).map((reason) => `marked not deployable: ${reason}`));
  const emitted = allSteps(journey.steps).flatMap((step) => ('emit' in step ? [step.emit.detailType] : []));
  return {
    file,
    name: journey.name,
    problems,
    events: [...new Set([...triggerEvents(journey.trigger), ...eventsThatWake(journey)])].filter((event) => !emitted.includes(event)),
  };
}

export function journeyCheckCommand(): Command {
  return new Command('check')
    .description('Validate one journey file without synthesizing: schema, templates, segment, events in the catalog')
    .argument('<file>', 'a journey file (YAML, JSON or TypeScript)')
    .option('--templates <dir>', 'where the email templates are (default: shared/outreach/templates)')
    .option('--segments <dir>', 'where the segments are (default: workflows/segments)')
    .option('--json', 'print the result as JSON')
    .action((file: string, options: { templates?: string; segments?: string; json?: boolean }) =>
      reportErrors(async () => {
        const check = await checkJourneyFile(file, {
          ...(options.templates && { templatesDir: resolve(options.templates) }),
          ...(options.segments && { segmentsDir: resolve(options.segments) }),
        });
        if (options.json) printJson(check);
        else if (check.problems.length === 0)
          console.log(`${file}: journey ${check.name} is valid${check.events.length > 0 ? ` (events: ${check.events.join(', ')})` : ''}`);
        else console.log(`${file}: ${check.problems.length} problem(s)\n${check.problems.map((problem) => `  ${problem}`).join('\n')}`);
        if (check.problems.length > 0) process.exitCode = 1;
      }),
    );
}
