/**
 * The console's static files: the stylesheet as written, and the browser script bundled and
 * minified by esbuild — when the local console starts (in memory: nothing to build beforehand),
 * and at synth time for the deployed console, whose bundle carries them (no bucket to serve them).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

export interface Asset {
  readonly type: string;
  readonly body: string;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export function buildAssets(): ReadonlyMap<string, Asset> {
  const bundle = buildSync({ entryPoints: [here('client/console.ts')], bundle: true, minify: true, write: false, format: 'esm', target: 'es2022' });
  const script = bundle.outputFiles[0]?.text ?? '';
  return new Map([
    ['/assets/console.js', { type: 'text/javascript; charset=utf-8', body: script }],
    ['/assets/console.css', { type: 'text/css; charset=utf-8', body: readFileSync(here('assets/console.css'), 'utf8') }],
  ]);
}
