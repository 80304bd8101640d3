/** `cdk synth --quiet` (`npm run synth`) as a developer runs it: silent when all is well. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/paths.ts';

const run = promisify(execFile);
const outdir = await mkdtemp(join(tmpdir(), 'quiet-synth-'));

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('synthesis', () => {
  it('prints nothing under cdk synth --quiet, and still bundles every function', { timeout: 180_000 }, async () => {
    const { stdout, stderr } = await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', outdir], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
    });

    expect(stderr.trim()).toBe('');
    expect(stdout.trim()).toBe('');
    const template = JSON.parse(await readFile(join(outdir, 'Lifecycle-dev.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    const bundles = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => resource.Metadata?.['aws:asset:path'] ?? '');
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) expect(existsSync(join(outdir, bundle, 'index.mjs')), bundle).toBe(true);
  });
});
