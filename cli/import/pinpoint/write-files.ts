/**
 * Writing what an import made, so that running it again changes nothing: a file that already
 * holds the same content is left alone, and one that holds something else — edited since, or
 * someone's own — is never overwritten but reported as a conflict.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Document } from 'yaml';
import { describeIssue, type Issue } from './issues.ts';

export type WriteOutcome = 'written' | 'unchanged' | 'conflict';

export interface PlannedFile {
  readonly path: string;
  readonly content: string;
}

/** What writing the files would do, file by file; nothing is written. */
export function outcomeOf(file: PlannedFile): WriteOutcome {
  if (!existsSync(file.path)) return 'written';
  return readFileSync(file.path, 'utf8') === file.content ? 'unchanged' : 'conflict';
}

/** Writes files that are new; a group (a template's three parts) is written whole or not at all. */
export function writeGroup(files: readonly PlannedFile[], dryRun: boolean): WriteOutcome {
  const outcomes = files.map(outcomeOf);
  if (outcomes.includes('conflict')) return 'conflict';
  if (outcomes.every((outcome) => outcome === 'unchanged')) return 'unchanged';
  if (!dryRun) {
    for (const file of files) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.content);
    }
  }
  return 'written';
}

/** A definition as YAML, with what the import noted as comments above it. */
export function yamlFile(value: Record<string, unknown>, header: string, issues: readonly Issue[]): string {
  const document = new Document(value);
  const notes = issues.filter((issue) => !issue.blocking).map((issue) => ` - ${describeIssue(issue)}`);
  document.commentBefore = [` ${header}`, ...(notes.length > 0 ? [' Notes from the import:', ...notes] : [])].join('\n');
  return document.toString({ lineWidth: 0 });
}
