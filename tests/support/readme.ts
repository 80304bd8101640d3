/** What the README shows, read from the README itself, so that the tests follow what a reader follows. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '#infra/constructs/paths.ts';

export interface ReadmeFile {
  /** Where the README says to create it, relative to the repository root. */
  readonly path: string;
  readonly text: string;
}

/** The first YAML block of a section that starts with its file's path as a comment (`# workflows/journeys/….yaml`). */
export function readmeFileExample(section: string): ReadmeFile {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(section);
  if (start < 0) throw new Error(`README.md has no section ${section}`);
  const block = /```yaml\n(# (\S+)\n[\s\S]*?)```/.exec(readme.slice(start));
  if (!block?.[1] || !block[2]) throw new Error(`the first YAML block of ${section} does not start with its file's path`);
  return { path: block[2], text: block[1] };
}
