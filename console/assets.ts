/**
 * The console's static files: the stylesheet as written, and the browser script bundled and
 * minified by esbuild when the console starts (in memory: nothing to build beforehand).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset {
  readonly type: string;
  readonly body: string;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export async function buildAssets(): Promise<ReadonlyMap<string, Asset>> {
  const bundle = await build({ entryPoints: [here('client/console.ts')], bundle: true, minify: true, write: false, format: 'esm', target: 'es2022' });
  const script = bundle.outputFiles[0]?.text ?? '';
  return new Map([
    ['/assets/console.js', { type: 'text/javascript; charset=utf-8', body: script }],
    ['/assets/console.css', { type: 'text/css; charset=utf-8', body: readFileSync(here('assets/console.css'), 'utf8') }],
  ]);
}
