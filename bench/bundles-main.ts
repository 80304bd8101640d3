/**
 * Runs the Lambda bundle benchmark alone and prints its table (npm run bench:bundles).
 *
 * Options: `--runs N` (fresh processes per bundle, default 15), `--assembly DIR` (read an existing
 * cloud assembly instead of synthesizing one; it must be current), `--json` (the results as JSON).
 */
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { formatTable, measureBundles, type BundleProgress } from './bundles.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    assembly: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a positive whole number, not ${values.runs}`);

/** A bar on a terminal; on a pipe only the phases, so logs stay readable. */
function terminalProgress(): BundleProgress {
  const tty = process.stderr.isTTY;
  const bar = new SingleBar({ format: 'Loading bundles [{bar}] {value}/{total} {fn}', hideCursor: true, clearOnComplete: true, stream: process.stderr });
  let started = false;
  return {
    phase: (message) => console.error(message),
    load: (done, total, fn) => {
      if (!tty) return;
      if (!started) bar.start(total, 0, { fn });
      started = true;
      bar.update(done, { fn });
      if (done === total) bar.stop();
    },
  };
}

const started = performance.now();
const results = await measureBundles({ runs, ...(values.assembly && { assemblyDir: values.assembly }), progress: terminalProgress() });
if (values.json) console.log(JSON.stringify(results, null, 2));
else {
  console.log(formatTable(results, runs));
  console.log(`\nbundle: the code directory's total size; zip: what cdk deploy uploads. Took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}
