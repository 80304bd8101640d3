/**
 * Loads the segments under `workflows/segments/`: every YAML, JSON and TypeScript file (a module
 * default-exports its definition), each validated. One error lists every problem of every file,
 * e.g. `workflows/segments/at-risk.yaml: conditions.all[0].stage: must be one of …`, so a review
 * fixes them in one round.
 */
import { extname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { YAMLParseError } from 'yaml';
import { definitionFiles, readDefinitionFile } from '../definitions/load-files.ts';
import { parseSegment, SegmentDefinitionError, type Segment } from './segment.ts';

export const REPOSITORY_SEGMENTS_DIR = fileURLToPath(new URL('../../workflows/segments/', import.meta.url));

/** A read or import failure as one line (YAML adds a code excerpt below its first line). */
function describeFailure(error: unknown, path: string): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim().replace(/:$/, '') ?? '';
  if (error instanceof YAMLParseError) return `not valid YAML: ${message}`;
  if (error instanceof SyntaxError && extname(path) === '.json') return `not valid JSON: ${message}`;
  return message;
}

/**
 * The segments defined in `dir`, sorted by file name; none when the folder does not exist. Files
 * are named relative to `root` in errors. A TypeScript file is imported, so it runs: it is
 * reviewed like any other code.
 */
export async function loadSegments(dir: string = REPOSITORY_SEGMENTS_DIR, root: string = process.cwd()): Promise<Segment[]> {
  const problems: string[] = [];
  const loaded: { segment: Segment; file: string }[] = [];
  for (const path of definitionFiles(dir)) {
    const file = relative(root, path) || path;
    try {
      const source = await readDefinitionFile(path);
      if (source === undefined && extname(path) === '.ts') throw new Error('must default-export the segment definition');
      loaded.push({ segment: parseSegment(source, file), file });
    } catch (error) {
      if (error instanceof SegmentDefinitionError) problems.push(...error.problems);
      else problems.push(`${file}: ${describeFailure(error, path)}`);
    }
  }
  const fileOf = new Map<string, string>();
  for (const { segment, file } of loaded) {
    const first = fileOf.get(segment.name);
    if (first) problems.push(`${file}: name: segment ${segment.name} is also defined in ${first}`);
    else fileOf.set(segment.name, file);
  }
  if (problems.length > 0) throw new SegmentDefinitionError(problems);
  return loaded.map(({ segment }) => segment);
}
