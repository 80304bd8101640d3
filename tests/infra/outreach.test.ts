import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EnvVars } from '#shared/config.ts';
import { defaultStack, synthStack } from '#tests/support/stack.ts';

const { template } = defaultStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (type: string) => Object.entries(template.findResources(type)) as [string, Resource][];

describe('outreach in the stack', () => {
  it('feeds the sender from an encrypted queue with a dead-letter queue, reporting partial batch failures', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutreachDeadLetters'), 'Arn'] }, maxReceiveCount: 6 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutreachQueue'), 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^OutreachSender') },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('tells the sender everything it decides with', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          [EnvVars.SenderAddress]: 'no-reply@example.com',
          [EnvVars.ConfigurationSet]: 'lifecycle-dev-outreach',
          [EnvVars.ConsentMode]: 'opt-in',
          [EnvVars.QuietHours]: '21:00-08:00',
          [EnvVars.FrequencyCap]: '3/7',
          [EnvVars.MaxSendRate]: '10',
          [EnvVars.UnsubscribeUrl]: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutreachUnsubscribeFunctionUrl'), 'FunctionUrl'] },
          [EnvVars.UnsubscribeSecretArn]: { Ref: Match.stringLikeRegexp('^OutreachUnsubscribeSigningSecret') },
          [EnvVars.ProfileTable]: { Ref: Match.stringLikeRegexp('^ProfilesTable') },
        }),
      },
    });
  });

  it('lets the sender send only from its identity through its configuration set', () => {
    const [, policy] = resources('AWS::IAM::Policy').find(([id]) => id.startsWith('OutreachSenderRole')) ?? [];
    const statements = ((policy?.Properties.PolicyDocument ?? { Statement: [] }) as { Statement: { Action: string | string[]; Resource: unknown }[] })
      .Statement;
    const send = statements.find((statement) => statement.Action === 'ses:SendEmail');
    expect(JSON.stringify(send?.Resource)).toContain(':identity/example.com');
    expect(JSON.stringify(send?.Resource)).toContain(':configuration-set/lifecycle-dev-outreach');
    expect(JSON.stringify(send?.Resource)).not.toContain('"*"');
  });

  it('publishes SES events to EventBridge and keeps the account suppression list as a second line', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'lifecycle-dev-outreach',
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT', 'OPEN', 'CLICK', 'RENDERING_FAILURE', 'DELIVERY_DELAY'],
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ses'], 'detail-type': Match.arrayWith(['Email Bounced', 'Email Complaint Received']) },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutreachFeedback'), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
  });

  it('serves the unsubscribe endpoint from a function URL and signs links with a generated secret', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } });
  });

  it('alarms operators on the SES reputation and on requests parked in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.04,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OperationsOperatorAlarms') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.0008 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutreachDeadLetters'), 'QueueName'] } }],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('mails alarms to the operators when given an address', () => {
    synthStack({ context: { alarmEmail: 'ops@example.com' } }).template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
