/**
 * Synthesizes, once per test run, the cloud assembly the local-cloud tests run: the app's stack
 * plus test probes (tests/fixtures/probes.ts), with the functions bundled as for a deployment.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesize } from '#infra/lifecycle-app.ts';
import { REPO_ROOT } from '#infra/paths.ts';
import { Probes } from '#tests/fixtures/probes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    assemblyDir: string;
  }
}

/** Each run its own folder, so two runs at once (a watcher and a CI check) never share one. */
export default async function setup(project: TestProject): Promise<() => void> {
  const outdir = join(REPO_ROOT, '.lifecycle', `test-assembly-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await synthesize({ outdir, extend: (stack) => new Probes(stack, 'Probes') });
  project.provide('assemblyDir', outdir);
  return () => rmSync(outdir, { recursive: true, force: true });
}
