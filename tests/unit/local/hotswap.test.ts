import { describe, expect, it } from 'vitest';
import type { StackTemplate } from '#local/cloudformation/assembly.ts';
import { HotswapError, hotswapFunctions } from '#local/cloudformation/hotswap.ts';

const fn = (key: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Code: { S3Bucket: 'assets', S3Key: `${key}.zip` },
    Handler: 'index.handler',
    MemorySize: 256,
    Environment: { Variables: { TABLE: 't' } },
    ...extra,
  },
  Metadata: { 'aws:asset:path': `asset.${key}` },
});
const deployed: StackTemplate = {
  Resources: {
    Engine: fn('aaa'),
    Launcher: fn('bbb'),
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } },
  },
  Outputs: { QueueUrl: { Value: { Ref: 'Queue' } } },
};
const next = (resources: StackTemplate['Resources'], outputs = deployed.Outputs): StackTemplate => ({
  Resources: resources,
  ...(outputs && { Outputs: outputs }),
});

describe('hotswapping a stack', () => {
  it('updates the functions whose code, environment or description changed, and only those', () => {
    const template = next({ ...deployed.Resources, Engine: fn('ccc', { Environment: { Variables: { TABLE: 't2' } }, Description: 'new' }) });
    expect(hotswapFunctions('S', deployed, template)).toEqual(['Engine']);
  });

  it('takes nothing when only asset paths moved', () => {
    const moved = next({ ...deployed.Resources, Launcher: { ...fn('bbb'), Metadata: { 'aws:asset:path': 'asset.elsewhere' } } });
    expect(hotswapFunctions('S', deployed, moved)).toEqual([]);
  });

  it('refuses any other change, naming each resource, for a full deployment', () => {
    const memory = next({ ...deployed.Resources, Engine: fn('ccc', { MemorySize: 512 }) });
    expect(() => hotswapFunctions('S', deployed, memory)).toThrow(HotswapError);
    expect(() => hotswapFunctions('S', deployed, memory)).toThrow(/full deployment: Engine$/);
    const added = next({
      ...deployed.Resources,
      Rule: { Type: 'AWS::Events::Rule', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } },
    });
    expect(() => hotswapFunctions('S', deployed, added)).toThrow(/full deployment: Queue, Rule$/);
    const { Launcher: _removed, ...rest } = deployed.Resources;
    expect(() => hotswapFunctions('S', deployed, next(rest))).toThrow(/full deployment: Launcher$/);
    expect(() => hotswapFunctions('S', deployed, next(deployed.Resources, { QueueUrl: { Value: 'other' } }))).toThrow(/outputs changed/);
  });
});
