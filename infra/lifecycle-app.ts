/**
 * The app's one definition, used by `cdk synth` (app.ts) and by in-process synthesis for the local
 * cloud and the tests (synthesize.ts), so both build exactly the same stack.
 */
import { readFileSync } from 'node:fs';
import { Annotations, App } from 'aws-cdk-lib';
import { readConfig } from './config.ts';
import { LifecycleStack } from './lifecycle-stack.ts';
import { REPO_ROOT } from './paths.ts';
import { loadDefinitions, type DefinitionDirs, type Definitions } from './definitions.ts';
import { withoutBundlingProgress } from './quiet-bundling.ts';

export function addLifecycleStack(app: App, definitions: Definitions): LifecycleStack {
  const config = readConfig(app.node);
  const stack = new LifecycleStack(app, `Lifecycle-${config.environment}`, {
    config,
    definitions,
    description: 'Customer-lifecycle automation: events, stage workflows, profiles and email',
  });
  // Left out rather than refused: the rest of the stack still deploys while someone fixes the
  // file, and `cdk synth` says each time which journeys are not live and why.
  for (const journey of definitions.notDeployable) {
    Annotations.of(stack).addWarningV2(
      'lifecycle:journey-not-deployable',
      `journey ${journey.name} (${journey.file}) is not deployed until fixed: ${journey.reasons.join('; ')}`,
    );
  }
  return stack;
}

/** The context `cdk.json` gives, as the CDK CLI would pass it. */
export function projectContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(`${REPO_ROOT}cdk.json`, 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export interface SynthesizeOptions extends DefinitionDirs {
  readonly outdir: string;
  /** Context on top of cdk.json's, as `-c key=value` gives. */
  readonly context?: Record<string, unknown>;
  /** Adds more to the stack before synthesis (tests add probes). */
  readonly extend?: (stack: LifecycleStack) => void;
}

/** Synthesizes the cloud assembly in this process: a few seconds, no CLI. */
export async function synthesize(options: SynthesizeOptions): Promise<string> {
  const definitions = await loadDefinitions(options);
  const app = new App({ outdir: options.outdir, context: { ...projectContext(), ...options.context } });
  withoutBundlingProgress(() => {
    const stack = addLifecycleStack(app, definitions);
    options.extend?.(stack);
    app.synth();
  });
  return options.outdir;
}
