import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { nagReport } from '#tests/support/nag.ts';

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  const { report, error } = nagReport();

  it('runs both packs and finds nothing unacknowledged', () => {
    expect(error).toBeUndefined();
    expect(report.pluginReports.map((plugin) => plugin.pluginName).sort()).toEqual(['AwsSolutions', 'Serverless']);
    for (const plugin of report.pluginReports) {
      expect(
        plugin.violations.map((violation) => violation.ruleName),
        plugin.pluginName,
      ).toEqual([]);
      expect(plugin.conclusion).toBe('success');
    }
  });

  it('gives every acknowledgement a reason that says why', () => {
    const acknowledged = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const finding of acknowledged) expect(finding.reason.length, finding.ruleName).toBeGreaterThan(40);
  });

  it('acknowledges wildcard resources only for the services that require them', () => {
    const wildcards = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations).filter((finding) => finding.ruleName === 'AwsSolutions-IAM5');
    for (const finding of wildcards) expect(finding.reason).toMatch(/X-Ray|versions and aliases/);
  });

  it('reports a new resource that breaks the rules', () => {
    const { report: broken, error: failure } = nagReport((stack) => new Queue(stack, 'UnencryptedWorkQueue'));
    const violations = broken.pluginReports.flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName));
    expect(violations).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
    expect(failure).toBeDefined();
  });
});
