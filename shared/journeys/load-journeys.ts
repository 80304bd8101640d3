/**
 * Loads the journeys under `workflows/journeys/`: every YAML, JSON and TypeScript file, validated
 * by the journey schema. An error names the file, the step and the field, e.g.
 * `workflows/journeys/cart-recovery.yaml: step "remind" (steps[1]): send.template: …`.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definitionFiles, readDefinitionFile } from '../definitions/load-files.ts';
import { DefinitionError, validateDefinition } from '../definitions/validate.ts';
import { formatPath } from '../events/parse.ts';
import { JourneyDefinition } from './definition.ts';

export const REPOSITORY_JOURNEYS_DIR = fileURLToPath(new URL('../../workflows/journeys/', import.meta.url));

/** Names the innermost step a path goes through, then the field within it. */
export function describeJourneyPath(path: readonly PropertyKey[], content: unknown): string {
  let node: unknown = content;
  let step: { id: string; at: number } | undefined;
  path.forEach((key, index) => {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number' && ['steps', 'then', 'else'].includes(String(path[index - 1]))) {
      const id = (node as { id?: unknown } | undefined)?.id;
      step = { id: typeof id === 'string' ? id : `#${key}`, at: index };
    }
  });
  if (!step) return formatPath(path);
  const field = formatPath(path.slice(step.at + 1)) || '(the step)';
  return `step "${step.id}" (${formatPath(path.slice(0, step.at + 1))}): ${field}`;
}

/** A journey file marked `notDeployable`: validated, but left out of the stack until fixed. */
export interface NotDeployableJourney {
  readonly name: string;
  readonly file: string;
  readonly reasons: readonly string[];
}

export interface JourneyFiles {
  readonly journeys: JourneyDefinition[];
  readonly notDeployable: NotDeployableJourney[];
}

/**
 * Every journey file of `dir`, validated, with those marked `notDeployable` apart. A marked file
 * still has to be valid (so that fixing it is the only step left), and its name still counts
 * against duplicates; it is only kept out of what gets deployed.
 */
export async function loadJourneyFiles(dir = REPOSITORY_JOURNEYS_DIR, root = process.cwd()): Promise<JourneyFiles> {
  const journeys: { definition: JourneyDefinition; file: string }[] = [];
  const problems: string[] = [];
  for (const file of definitionFiles(dir)) {
    try {
      const content = await readDefinitionFile(file);
      journeys.push({ definition: validateDefinition(JourneyDefinition, content, file, root, describeJourneyPath), file });
    } catch (error) {
      problems.push(error instanceof DefinitionError ? error.message : `${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const byName = new Map<string, string>();
  for (const { definition, file } of journeys) {
    const other = byName.get(definition.name);
    if (other) problems.push(`journey ${definition.name} is defined twice: ${other} and ${file}`);
    byName.set(definition.name, file);
  }
  if (problems.length > 0) throw new DefinitionError(`Invalid journeys:\n${problems.join('\n')}`);
  return {
    journeys: journeys.filter(({ definition }) => !definition.notDeployable).map(({ definition }) => definition),
    notDeployable: journeys.flatMap(({ definition, file }) =>
      definition.notDeployable ? [{ name: definition.name, file: relative(root, file) || file, reasons: definition.notDeployable }] : [],
    ),
  };
}

/** The deployable journeys of `dir` (see loadJourneyFiles for those marked not deployable). */
export async function loadJourneys(dir = REPOSITORY_JOURNEYS_DIR, root = process.cwd()): Promise<JourneyDefinition[]> {
  return (await loadJourneyFiles(dir, root)).journeys;
}
