/**
 * Keeps the cloud assembly the local cloud runs in step with the source: synthesized again when
 * it is missing or older than anything it is built from.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['infra', 'functions', 'workflows', 'shared', 'cdk.json', 'package-lock.json'];

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stats.mtimeMs);
}

/** True when the assembly in `assemblyDir` is missing or older than the sources under `root`. */
export function isAssemblyStale(root: string, assemblyDir: string): boolean {
  const manifest = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifest)) return true;
  const built = statSync(manifest).mtimeMs;
  return SOURCES.some((source) => existsSync(join(root, source)) && newestChange(join(root, source)) > built);
}
