/**
 * The README's requirements say what installing and running the project needs: the Node.js version
 * package.json asks for, and each dependency that asks for a newer one than that, by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/paths.ts';
import { readmeRequirements } from '#tests/support/readme.ts';

interface PackageJson {
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const packageJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
const project = packageJson(REPO_ROOT);
/** `20.19` → 2019: versions compared as numbers, major first. */
const asNumber = (major: string, minor = '0') => Number(major) * 100 + Number(minor);

describe('the README requirements', () => {
  const requirements = readmeRequirements();
  const stated = /Node\.js (\d+)\.(\d+) or later/.exec(requirements);

  it("name the Node.js version package.json's engines ask for", () => {
    const engines = /^>=(\d+)\.(\d+)/.exec(project.engines?.node ?? '');

    expect(stated?.slice(1, 3), requirements).toEqual(engines?.slice(1, 3));
  });

  it('name each dependency that asks for a newer Node.js than that', () => {
    const names = Object.keys({ ...project.dependencies, ...project.devDependencies });
    const newer = names.filter((name) => {
      // Only plain lower bounds (`>=22.0.0`): a range with alternatives admits the older line too.
      const bound = /^>=\s*(\d+)(?:\.(\d+))?/.exec(packageJson(join(REPO_ROOT, 'node_modules', name)).engines?.node ?? '');
      return bound?.[1] !== undefined && asNumber(bound[1], bound[2]) > asNumber(stated?.[1] ?? '0', stated?.[2]);
    });

    for (const name of newer) expect(requirements, `${name} asks for a newer Node.js`).toContain(name);
  });
});
