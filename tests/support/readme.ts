/** What the README shows, read from the README itself, so that the tests follow what a reader follows. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '#infra/paths.ts';

export interface ReadmeFile {
  /** Where the README says to create it, relative to the repository root. */
  readonly path: string;
  readonly text: string;
}

/** The README from a heading on (to the end: a section's first block is what tests look for). */
function readmeFrom(heading: string): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no section ${heading}`);
  return readme.slice(start);
}

/** The first YAML block of a section that starts with its file's path as a comment (`# workflows/journeys/….yaml`). */
export function readmeFileExample(section: string): ReadmeFile {
  const block = /```yaml\n(# (\S+)\n[\s\S]*?)```/.exec(readmeFrom(section));
  if (!block?.[1] || !block[2]) throw new Error(`the first YAML block of ${section} does not start with its file's path`);
  return { path: block[2], text: block[1] };
}

/** "Emit events": how old each event may be and still send what it sends, in hours, as the README's table says. */
export function readmeFreshnessHours(): Map<string, number> {
  const rows = readmeFrom('## Emit events').matchAll(/^\| `([a-z]+\.[a-z]+)` \| [^|]+ \| (\d+) hours \|$/gm);
  return new Map([...rows].map((row) => [row[1] ?? '', Number(row[2])]));
}

/** The README's requirements paragraph, as one line. */
export function readmeRequirements(): string {
  const from = readmeFrom('Requirements:');
  return from.slice(0, from.indexOf('\n\n')).replaceAll('\n', ' ');
}
