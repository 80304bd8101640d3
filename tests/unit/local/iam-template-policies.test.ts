import { describe, expect, it } from 'vitest';
import { readPolicies } from '#local/iam/template-policies.ts';

const context = {
  region: 'us-east-1',
  accountId: '000000000000',
  // The tests' templates carry no intrinsics.
  resolve: (value: unknown) => value,
  arnOf: (logicalId: string) => (logicalId.endsWith('Role') ? `arn:aws:iam::000000000000:role/${logicalId}` : `arn:aws:iam::000000000000:policy/${logicalId}`),
};

describe("reading a template's policies", () => {
  it("gathers a role's inline, attached and managed policies, and its boundary", () => {
    const document = (action: string) => ({ Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const book = readPolicies(
      {
        Resources: {
          WorkRole: {
            Type: 'AWS::IAM::Role',
            Properties: {
              Policies: [{ PolicyName: 'inline', PolicyDocument: document('sqs:SendMessage') }],
              ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/SomethingUnknown'],
              PermissionsBoundary: 'arn:aws:iam::000000000000:policy/Fence',
            },
          },
          Attached: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'attached', Roles: ['WorkRole'], PolicyDocument: document('dynamodb:GetItem') } },
          Fence: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'fence', PolicyDocument: document('sqs:*') } },
        },
      },
      context,
    );

    const role = book.roles.get('arn:aws:iam::000000000000:role/WorkRole');
    expect(role?.identity.map((policy) => policy.name)).toEqual(['inline', 'AWSLambdaBasicExecutionRole', 'attached']);
    expect(role?.boundary?.name).toBe('fence');
    expect([...book.unknownManagedPolicies]).toEqual(['arn:aws:iam::aws:policy/SomethingUnknown']);
  });

  it('turns a Lambda permission into the statement Lambda keeps in the function policy', () => {
    const book = readPolicies(
      {
        Resources: {
          Allow: {
            Type: 'AWS::Lambda::Permission',
            Properties: {
              Action: 'lambda:InvokeFunction',
              FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:f',
              Principal: 'events.amazonaws.com',
              SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
            },
          },
        },
      },
      context,
    );

    expect(book.resources.get('arn:aws:lambda:us-east-1:000000000000:function:f')?.Statement).toEqual([
      {
        Sid: 'Allow',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/r' } },
      },
    ]);
  });

  it("keeps a function URL permission's conditions: the URL's auth type, and invocation through the URL only", () => {
    const permission = (Action: string, extra: Record<string, unknown>) => ({
      Type: 'AWS::Lambda::Permission',
      Properties: { Action, FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:f', Principal: '*', ...extra },
    });
    const book = readPolicies(
      {
        Resources: {
          Url: permission('lambda:InvokeFunctionUrl', { FunctionUrlAuthType: 'NONE' }),
          ThroughUrl: permission('lambda:InvokeFunction', { InvokedViaFunctionUrl: true }),
        },
      },
      context,
    );

    expect(book.resources.get('arn:aws:lambda:us-east-1:000000000000:function:f')?.Statement.map((statement) => statement.Condition)).toEqual([
      { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
    ]);
  });

  it("keys a queue policy by each queue's ARN, from the queue URLs it names", () => {
    const statement = { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*' };
    const book = readPolicies(
      {
        Resources: {
          Policy: {
            Type: 'AWS::SQS::QueuePolicy',
            Properties: {
              Queues: ['http://127.0.0.1:4566/000000000000/a', 'http://127.0.0.1:4566/000000000000/b'],
              PolicyDocument: { Statement: [statement] },
            },
          },
        },
      },
      context,
    );

    expect([...book.resources.keys()]).toEqual(['arn:aws:sqs:us-east-1:000000000000:a', 'arn:aws:sqs:us-east-1:000000000000:b']);
  });
});
