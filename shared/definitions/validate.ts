/**
 * Validation of definitions marketing writes (journeys, segments) by their zod schema. Errors name
 * the file and the field.
 */
import { basename, relative } from 'node:path';
import type * as z from 'zod';
import { formatPath } from '../events/parse.ts';

export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
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
