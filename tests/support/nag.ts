/**
 * cdk-nag's verdict on the stack: synthesizes the app with the AwsSolutions and Serverless rule
 * packs, as `cdk synth` does, and returns the validation report it writes. Shared by the stack's
 * guardrail tests and the reliability suite's security checks, so both judge the same thing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadDefinitions } from '#infra/definitions.ts';
import { addLifecycleStack } from '#infra/lifecycle-app.ts';
import type { LifecycleStack } from '#infra/lifecycle-stack.ts';

export interface NagReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string }[];
    suppressedViolations: { ruleName: string; reason: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

const definitions = await loadDefinitions();

/**
 * @param addToStack - changes the stack before synthesis (a test adds a resource that breaks a rule)
 * @returns the report, and the error synthesis threw when a rule failed
 */
export function nagReport(addToStack?: (stack: LifecycleStack) => void): { report: NagReport; error?: unknown } {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = addLifecycleStack(app, definitions);
    addToStack?.(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    let error: unknown;
    try {
      app.synth();
    } catch (caught) {
      error = caught;
    }
    return { report: JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as NagReport, error };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
