/**
 * Zod issues as lines a marketer can act on: `all[1].counter: must be one of events, orders,
 * supportRequests`. Messages come from the schemas and never echo the values checked.
 */
import type * as z from 'zod';
import { formatPath } from '../events/parse.ts';

export { formatPath };

/** One line per issue, `path: message` (the message alone for the root), without repeats. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines = issues.map((issue) => {
    const path = formatPath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return [...new Set(lines)];
}
