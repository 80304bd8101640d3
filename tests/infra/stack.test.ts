import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { EnvVars } from '#shared/config.ts';
import { DETAIL_TYPES, detailTypesOf } from '#shared/events/catalog.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { defaultStack, synthStack } from '#tests/support/stack.ts';

const { template } = defaultStack();
const repository = await loadDefinitions();
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (type: string) => Object.entries(template.findResources(type)) as [string, Resource][];

/** A policy document with each statement's actions in alphabetical order, as synthesis writes them. */
function sortedActions(policy: Resource | undefined) {
  const document = policy?.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] } | undefined;
  return {
    Statement: (document?.Statement ?? []).map((statement) => ({
      ...statement,
      Action: Array.isArray(statement.Action) ? [...statement.Action].sort() : statement.Action,
    })),
  };
}

describe('the lifecycle stack', () => {
  it('has the custom bus and an archive of it for replay', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'lifecycle-dev' });
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsBus'), 'Arn'] },
      RetentionDays: 365,
    });
  });

  it('has the profile table: on demand, point-in-time recovery, time to live, the stage and consent-notice indexes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'lifecycle-dev-profiles',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStageActivity',
          KeySchema: [
            { AttributeName: 'stage', KeyType: 'HASH' },
            { AttributeName: 'lastActiveDay', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'byConsentNoticeDue',
          KeySchema: [
            { AttributeName: 'noticeShard', KeyType: 'HASH' },
            { AttributeName: 'noticeDueDay', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('sends the consent-status notices from a daily rule, through the outreach queue, reading only the notice index', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsentNoticesSend'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ConsentNoticesSend') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:Query',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ProfilesTable'), 'Arn'] }, '/index/byConsentNoticeDue']] },
          }),
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutreachQueue'), 'Arn'] } }),
        ]),
      },
    });
  });

  it('has an Express state machine per stage and one for profile events, each traced, logging failures without data', () => {
    const machines = resources('AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(STAGES.length + 1);
    for (const [, machine] of machines) {
      expect(machine.Properties).toMatchObject({
        StateMachineType: 'EXPRESS',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
      });
    }
  });

  it('routes every event a stage or the profile workflow handles, each by exactly one rule', () => {
    const onBus = resources('AWS::Events::Rule').filter(([id]) => /^Events.*WorkflowRoute/.test(id));
    const routed = onBus.flatMap(([, rule]) => (rule.Properties.EventPattern as { 'detail-type': string[] })['detail-type']);
    const handled = [...STAGES, 'profile' as const].flatMap((owner) => detailTypesOf(owner));
    expect([...routed].sort()).toEqual([...handled].sort());
    expect(new Set(routed).size).toBe(routed.length);
    // System and marketing events are not recorded by these workflows.
    expect(routed).not.toContain('customer.stage.changed');
  });

  it('gives every rule target a retry policy and the dead-letter queue', () => {
    for (const [id, rule] of resources('AWS::Events::Rule')) {
      const targets = rule.Properties.Targets as Record<string, unknown>[];
      expect(targets, id).toHaveLength(1);
      expect(targets[0], id).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^EventsDeliveryDeadLetters/), 'Arn'] } },
      });
    }
    const stageRoute = resources('AWS::Events::Rule').find(([id]) => id.includes('WorkflowRoute'));
    expect(((stageRoute?.[1].Properties.Targets ?? []) as Record<string, unknown>[])[0]).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
    });
  });

  it('encrypts every queue and refuses requests without TLS', () => {
    const queues = resources('AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(9);
    for (const [, queue] of queues) expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    for (const [, policy] of resources('AWS::SQS::QueuePolicy')) {
      expect(policy.Properties.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      });
    }
  });

  it('runs the record function on the newest Node.js runtime, arm64, traced, with the table and a failure destination', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      Timeout: 10,
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Environment: {
        Variables: Match.objectLike({
          [EnvVars.ProfileTable]: { Ref: Match.stringLikeRegexp('^ProfilesTable') },
          [EnvVars.TimelineRetentionDays]: '730',
          [EnvVars.DefaultTimezone]: 'UTC',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionFailures'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('lets the record function use the table itself (not its index) with only the calls it makes', () => {
    const [, policy] = resources('AWS::IAM::Policy').find(([id]) => id.startsWith('RecordEventRole')) ?? [];
    expect(sortedActions(policy)).toMatchObject({
      Statement: expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: ['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ProfilesTable/), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RecordEventLogs/), 'Arn'] },
        },
      ]),
    });
    // No managed policies: each role holds exactly what its function or workflow uses.
    expect(resources('AWS::IAM::Role').every(([, role]) => role.Properties.ManagedPolicyArns === undefined)).toBe(true);
  });

  it('lets each workflow invoke the record function, put events on the bus and park in its own queue', () => {
    const [, policy] = resources('AWS::IAM::Policy').find(([id]) => id.startsWith('DiscoverWorkflowStateMachineRole')) ?? [];
    expect(policy?.Properties.PolicyDocument).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({ Action: 'lambda:InvokeFunction' }),
        { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EventsBus/), 'Arn'] } },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^DiscoverWorkflowParkedEvents/), 'Arn'] } },
      ]),
    });
  });

  it('has no IAM statement with a wildcard action', () => {
    const statements = resources('AWS::IAM::Policy').flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('registers the JSON Schema of every catalog event', () => {
    template.hasResourceProperties('AWS::EventSchemas::Registry', { RegistryName: 'lifecycle-dev-catalog' });
    const schemas = resources('AWS::EventSchemas::Schema');
    expect(schemas.map(([, schema]) => schema.Properties.SchemaName).sort()).toEqual([...DETAIL_TYPES].sort());
    for (const [, schema] of schemas) {
      expect(schema.Properties.Type).toBe('JSONSchemaDraft4');
      expect(JSON.parse(String(schema.Properties.Content))).toMatchObject({ properties: { detail: { type: 'object' } } });
    }
  });

  it('outputs the names a client needs', () => {
    template.hasOutput('EventBusName', {});
    template.hasOutput('ProfileTableName', {});
    template.hasOutput('ConsentMode', { Value: 'opt-in' });
    synthStack({ context: { consentMode: 'opt-out' } }).template.hasOutput('ConsentMode', { Value: 'opt-out' });
  });
});

const ADVERTISER = { advertiserName: '주식회사 오크앤램프', advertiserContact: '서울특별시 중구 세종대로 110 · 02-123-4567 · help@oak.example' };

describe('deployment configuration', () => {
  it('names the bus and the table from context', () => {
    const { template: custom } = synthStack({
      context: { environment: 'prod', busName: 'shop-events', tablePrefix: 'acme', archiveRetentionDays: '30', ...ADVERTISER },
    });
    custom.hasResourceProperties('AWS::Events::EventBus', { Name: 'shop-events' });
    custom.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'acme-prod-profiles' });
    custom.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 30 });
  });

  it('gives the sender the advertiser named in Korean advertising email', () => {
    const { template: custom } = synthStack({ context: { environment: 'prod', ...ADVERTISER } });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ [EnvVars.AdvertiserName]: ADVERTISER.advertiserName, [EnvVars.AdvertiserContact]: ADVERTISER.advertiserContact }),
      },
    });
  });

  it('sets the log level of the stage workflows from context', () => {
    const { template: custom } = synthStack({ context: { workflowLogLevel: 'ALL' } });
    const levels = Object.values(custom.findResources('AWS::StepFunctions::StateMachine')).map((machine) => machine.Properties.LoggingConfiguration.Level);
    expect(new Set(levels)).toEqual(new Set(['ALL']));
  });

  it.each([
    [{ defaultTimezone: 'Mars/Olympus' }, '-c defaultTimezone: must be an IANA time zone such as Europe/Berlin'],
    [{ senderAddress: 'not an address' }, '-c senderAddress: must be an email address'],
    [{ environment: 'Prod!' }, '-c environment: must be 1-20 lower-case letters'],
    [{ busName: 'default' }, '-c busName: must not be the default bus'],
    [{ logRetentionDays: '12' }, '-c logRetentionDays: must be one of 1, 3, 5'],
    [{ timelineRetentionDays: 'forever' }, '-c timelineRetentionDays: must be a number'],
    [{ workflowLogLevel: 'DEBUG' }, '-c workflowLogLevel: must be one of ALL, ERROR, FATAL, OFF'],
    [{ environment: 'prod', advertiserContact: 'help@oak.example' }, '-c advertiserName: is required when environment is not dev'],
    [{ environment: 'prod', advertiserName: 'Oak & Lamp' }, '-c advertiserContact: is required when environment is not dev'],
    [{ advertiserContact: 'write to us' }, '-c advertiserContact: must hold an email address or a phone number'],
    [{ advertiserName: 'Oak\u0007Lamp' }, '-c advertiserName: must not contain control characters'],
  ])('stops synthesis on %j with a message naming the key', (context, message) => {
    expect(() => synthStack({ context })).toThrow(message);
  });
});
