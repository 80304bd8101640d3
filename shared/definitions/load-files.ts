/**
 * Definitions marketing writes as files — journeys and segments — as YAML, JSON or TypeScript
 * modules (default export), each validated by a zod schema. Errors name the file and the field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type * as z from 'zod';
import { formatPath } from '../events/parse.ts';

export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.ts']);

/** The definition files of a folder, sorted by name. */
export function definitionFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((file) => EXTENSIONS.has(extname(file)) && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .sort()
    .map((file) => join(dir, file));
}

/** The raw content of a definition file. */
export async function readDefinitionFile(file: string): Promise<unknown> {
  const extension = extname(file);
  if (extension === '.ts') return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  const text = readFileSync(file, 'utf8');
  return extension === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
}

/** Validates a file's content; the error names the file (relative to `root`) and each field. */
export function validateDefinition<T extends z.ZodType>(
  schema: T,
  content: unknown,
  file: string,
  root: string,
  describePath: (path: readonly PropertyKey[], content: unknown) => string = formatPath,
): z.output<T> {
  const result = schema.safeParse(content);
  if (result.success) return result.data;
  const where = relative(root, file) || basename(file);
  const problems = result.error.issues.map((issue) => `${where}: ${describePath(issue.path, content)}: ${issue.message}`);
  throw new DefinitionError(problems.join('\n'));
}
