/** State machine definitions out of a synthesized template, with placeholder ARNs for references. */
import { resolveIntrinsics } from '#local/cloudformation/intrinsics.ts';

const PSEUDO = { region: 'us-east-1', accountId: '123456789012', partition: 'aws', urlSuffix: 'amazonaws.com', stackName: 'Lifecycle-test' };

const placeholder = {
  ref: (logicalId: string) => `arn:aws:placeholder:us-east-1:123456789012:${logicalId}`,
  getAtt: (logicalId: string, attribute: string) =>
    attribute === 'Arn' ? `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}` : `${logicalId}-${attribute}`,
};

export interface StateDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly Retry?: { ErrorEquals: string[]; MaxAttempts?: number; IntervalSeconds?: number; BackoffRate?: number; JitterStrategy?: string }[];
  readonly Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  readonly [key: string]: unknown;
}

export interface MachineDefinition {
  readonly StartAt: string;
  readonly States: Record<string, StateDefinition>;
  readonly [key: string]: unknown;
}

export function stateMachineDefinitions(template: {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}): Map<string, MachineDefinition> {
  const definitions = new Map<string, MachineDefinition>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const text = resolveIntrinsics(resource.Properties?.DefinitionString, placeholder, PSEUDO);
    definitions.set(logicalId, JSON.parse(String(text)) as MachineDefinition);
  }
  return definitions;
}
