/** The stack as the tests see it: synthesized once per test file. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadDefinitions, type Definitions } from '#infra/definitions.ts';
import { addLifecycleStack } from '#infra/lifecycle-app.ts';
import type { LifecycleStack } from '#infra/lifecycle-stack.ts';

export interface SynthOptions {
  /** Extra CDK context, as `-c key=value` would give. */
  readonly context?: Record<string, unknown>;
  /** Journeys and segments to build; the repository's by default. */
  readonly definitions?: Definitions;
  /** Bundle the functions (slower); without it, assets are left unbuilt. @default false */
  readonly bundle?: boolean;
}

/** The definitions in the repository, loaded once per test file. */
const definitions = await loadDefinitions();

export function synthStack(options: SynthOptions = {}): { app: App; stack: LifecycleStack; template: Template } {
  const app = new App({
    context: {
      ...options.context,
      ...(!options.bundle && { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = addLifecycleStack(app, options.definitions ?? definitions);
  return { app, stack, template: Template.fromStack(stack) };
}

let cached: ReturnType<typeof synthStack> | undefined;

/** The default stack, synthesized once per test file. */
export function defaultStack(): ReturnType<typeof synthStack> {
  cached ??= synthStack();
  return cached;
}
