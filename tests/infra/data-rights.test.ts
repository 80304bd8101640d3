/** The eraser in the stack: what starts it, where a request it cannot take is kept, and what it may do. */
import { describe, expect, it } from 'vitest';
import { defaultStack } from '#tests/support/stack.ts';

const { template } = defaultStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const resources = (type: string, prefix: string) =>
  Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix)) as [string, Resource][];

describe('the eraser', () => {
  const [[functionId] = []] = resources('AWS::Lambda::Function', 'DataRightsEraser');

  it('takes customer.erasure.requested from the bus, retried for a day and kept in a dead-letter queue after', () => {
    const [[, rule] = []] = resources('AWS::Events::Rule', 'DataRightsErasureRequests');
    expect(rule?.Properties.EventPattern).toEqual({ 'detail-type': ['customer.erasure.requested'] });
    const [target] = (rule?.Properties.Targets ?? []) as { Arn: unknown; DeadLetterConfig?: unknown; RetryPolicy?: unknown }[];
    expect(target?.Arn).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    expect(target?.DeadLetterConfig).toBeDefined();
    expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 8 });
  });

  it('may write the table and delete wake-ups, and nothing it does not need', () => {
    const [[, policy] = []] = resources('AWS::IAM::Policy', 'DataRightsEraserRoleDefaultPolicy');
    const statements = ((policy?.Properties.PolicyDocument ?? { Statement: [] }) as { Statement: Statement[] }).Statement;
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    // Besides its logs, traces and failure destination (every function's), only these.
    const own = actions.filter((action) => !/^(logs|xray|sqs):/.test(action));
    expect(own).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'scheduler:DeleteSchedule',
    ]);
    expect(actions.filter((action) => action.endsWith('*'))).toEqual([]);
    const scheduler = statements.find((statement) => statement.Action === 'scheduler:DeleteSchedule');
    expect(JSON.stringify(scheduler?.Resource)).toContain(':schedule/default/journey-*');
  });
});
