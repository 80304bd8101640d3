/**
 * Definitions marketing writes as files — journeys and segments — as YAML, JSON or TypeScript
 * modules (default export). Validating them is validate.ts's business, apart from this module so
 * that the functions, which get their definitions ready from synthesis, load no YAML parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';

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
