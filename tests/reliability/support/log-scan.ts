/**
 * Reads every line the local cloud logged (its activity log and each function's log) and finds
 * personal data in them: the known email addresses and names of the people a run used, and any
 * string shaped like an email address, whoever it belongs to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface LogLine {
  /** The log file, relative to the log directory. */
  readonly file: string;
  readonly number: number;
  readonly text: string;
}

export function readLogLines(dir: string): LogLine[] {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return files.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text, index) => ({ file: relative(dir, path), number: index + 1, text })),
  );
}

// Deliberately wider than the logger's own mask: a local part, an @, and a dotted domain.
const EMAIL_SHAPED = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

export interface Finding {
  readonly line: LogLine;
  /** What was found: the known value, or the email-shaped string. */
  readonly found: string;
}

/**
 * @param known - email addresses and names that must never be logged (matched case-insensitively;
 *   a log line may hold a lower-cased copy)
 */
export function findPersonalData(lines: readonly LogLine[], known: readonly string[]): Finding[] {
  const needles = [...new Set(known.map((value) => value.toLowerCase()).filter((value) => value.length > 0))];
  const findings: Finding[] = [];
  for (const line of lines) {
    const lower = line.text.toLowerCase();
    for (const needle of needles) if (lower.includes(needle)) findings.push({ line, found: needle });
    for (const match of line.text.matchAll(EMAIL_SHAPED)) findings.push({ line, found: match[0] });
  }
  return findings;
}
