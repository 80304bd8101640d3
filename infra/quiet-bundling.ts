/**
 * aws-cdk-lib writes "Bundling asset <path>..." to stderr for every function it bundles, with no
 * option to turn it off; a synthesis of this app would print a dozen such lines, even under
 * `cdk synth --quiet`. This drops exactly those lines while the app is built; anything else written
 * to stderr (esbuild's errors, warnings, CDK's messages) still shows.
 */
const BUNDLING_PROGRESS = /^Bundling asset \S+\.\.\.\n$/;

export function withoutBundlingProgress<T>(build: () => T): T {
  const write = process.stderr.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === 'string' && BUNDLING_PROGRESS.test(chunk)
      ? true
      : (write as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest)) as typeof write;
  try {
    return build();
  } finally {
    process.stderr.write = write;
  }
}
