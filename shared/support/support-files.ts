/**
 * Reading the support stage's YAML files (the knowledge base and the synonym dictionary): one
 * error type for both, whose message lists every problem as `<file>: <field>: <what is wrong>`,
 * so a reviewer fixes them all in one round. Files are named relative to the working directory
 * when they are inside it (`shared/support/knowledge-base/delivery.yaml`), in full otherwise.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type * as z from 'zod';
import { DefinitionError } from '../definitions/validate.ts';
import { formatPath } from '../events/parse.ts';

/** Thrown with every problem found, one a line. A DefinitionError, like journeys' and segments'. */
export class SupportFileError extends DefinitionError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** How a file is named in errors. */
export function displayName(path: string, root: string = process.cwd()): string {
  const inside = relative(root, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** The parsed YAML of a file; a read or syntax failure becomes one problem line naming the file. */
export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SupportFileError([`${displayName(path)}: cannot be read${code ? ` (${code})` : ''}`]);
  }
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    const first = error instanceof Error ? (error.message.split('\n')[0]?.trim() ?? '') : String(error);
    throw new SupportFileError([`${displayName(path)}: not valid YAML${error instanceof YAMLParseError ? `: ${first}` : ''}`]);
  }
}

/** Zod issues as problem lines: `<file>: <path>: <message>`. */
export function issueLines(file: string, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    return path ? `${file}: ${path}: ${issue.message}` : `${file}: ${issue.message}`;
  });
}

/** A missing key says so; a present one of the wrong type gets `message`. */
export const requiredOr =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : message;
