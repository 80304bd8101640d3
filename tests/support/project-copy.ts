/**
 * A copy of the project in a temporary folder, as a reader's clone would be, sharing this one's
 * node_modules: tests change it (add a journey, lock it, synthesize) without touching the repository.
 */
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '#infra/paths.ts';

/** What the app, its functions and the `lifecycle` command need; tests and benchmarks stay behind. */
const PROJECT_PARTS = [
  'cli',
  'infra',
  'functions',
  'console',
  'shared',
  'workflows',
  'local',
  'package.json',
  'package-lock.json',
  'cdk.json',
  'tsconfig.json',
  'README.md',
];

export interface ProjectCopy {
  readonly root: string;
  remove(): Promise<void>;
}

export async function copyProject(): Promise<ProjectCopy> {
  const root = await mkdtemp(join(tmpdir(), 'lifecycle-project-'));
  for (const part of PROJECT_PARTS) await cp(join(REPO_ROOT, part), join(root, part), { recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
