import { describe, expect, it } from 'vitest';
import { deliveryRequest, jsonServiceRequests, restRequests, sesSendRequests, type RequestEnvironment } from '#local/iam/requests.ts';

const env: RequestEnvironment = {
  region: 'us-east-1',
  accountId: '000000000000',
  partitionKeyOf: (table, index) => (table === 'profiles' ? (index === 'by-stage' ? 'stage' : 'pk') : undefined),
};
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/profiles';

describe('what IAM is asked for a call', () => {
  it('names the partition key of a GetItem as dynamodb:LeadingKeys', () => {
    expect(
      jsonServiceRequests('DynamoDB_20120810', 'GetItem', { TableName: 'profiles', Key: { pk: { S: 'CUSTOMER#c-1' }, sk: { S: 'PROFILE' } } }, env),
    ).toEqual([{ action: 'dynamodb:GetItem', resource: TABLE, context: { 'dynamodb:LeadingKeys': ['CUSTOMER#c-1'] } }]);
  });

  it("reads a Query's partition key from its key condition, through attribute names, and its index from IndexName", () => {
    const query = {
      TableName: 'profiles',
      IndexName: 'by-stage',
      KeyConditionExpression: '#s = :stage AND begins_with(sk, :prefix)',
      ExpressionAttributeNames: { '#s': 'stage' },
      ExpressionAttributeValues: { ':stage': { S: 'buy' }, ':prefix': { S: 'x' } },
    };

    expect(jsonServiceRequests('DynamoDB_20120810', 'Query', query, env)).toEqual([
      { action: 'dynamodb:Query', resource: `${TABLE}/index/by-stage`, context: { 'dynamodb:LeadingKeys': ['buy'] } },
    ]);
  });

  it('asks for BatchWriteItem once per table, with every partition key the batch touches', () => {
    const batch = {
      RequestItems: {
        profiles: [{ PutRequest: { Item: { pk: { S: 'A' } } } }, { DeleteRequest: { Key: { pk: { S: 'B' } } } }, { PutRequest: { Item: { pk: { S: 'A' } } } }],
      },
    };

    expect(jsonServiceRequests('DynamoDB_20120810', 'BatchWriteItem', batch, env)).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: TABLE, context: { 'dynamodb:LeadingKeys': ['A', 'B'] } },
    ]);
  });

  it('authorizes an SQS batch as its single action, on the queue its URL names', () => {
    expect(jsonServiceRequests('AmazonSQS', 'SendMessageBatch', { QueueUrl: 'http://127.0.0.1:4566/000000000000/work', Entries: [] }, env)).toEqual([
      { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:000000000000:work' },
    ]);
  });

  it('asks PutEvents once per bus, source and detail-type, with the bus named or defaulted', () => {
    const entries = [
      { EventBusName: 'shop', Source: 'a', DetailType: 'x' },
      { EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/shop', Source: 'a', DetailType: 'x' },
      { Source: 'b', DetailType: 'y' },
    ];

    expect(jsonServiceRequests('AWSEvents', 'PutEvents', { Entries: entries }, env)).toEqual([
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-east-1:000000000000:event-bus/shop',
        context: { 'events:source': 'a', 'events:detail-type': 'x' },
      },
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
        context: { 'events:source': 'b', 'events:detail-type': 'y' },
      },
    ]);
  });

  it('asks CreateSchedule for the schedule in its group and iam:PassRole for the role it passes to Scheduler', () => {
    const body = Buffer.from(
      JSON.stringify({
        GroupName: 'default',
        Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', RoleArn: 'arn:aws:iam::000000000000:role/wake' },
      }),
    );

    expect(restRequests('POST', '/schedules/journey-1', body, env)).toEqual([
      { action: 'scheduler:CreateSchedule', resource: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/journey-1' },
      { action: 'iam:PassRole', resource: 'arn:aws:iam::000000000000:role/wake', context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    ]);
  });

  it("asks SES SendEmail for the sender's address or domain identity, and for the configuration set", () => {
    expect(sesSendRequests({ FromEmailAddress: 'Shop <hello@shop.example>', ConfigurationSetName: 'outreach' }, env)).toEqual([
      {
        action: 'ses:SendEmail',
        resource: ['arn:aws:ses:us-east-1:000000000000:identity/hello@shop.example', 'arn:aws:ses:us-east-1:000000000000:identity/shop.example'],
      },
      { action: 'ses:SendEmail', resource: 'arn:aws:ses:us-east-1:000000000000:configuration-set/outreach' },
    ]);
  });

  it('names the action a delivery to each kind of target needs', () => {
    expect(
      [
        'arn:aws:sqs:us-east-1:0:q',
        'arn:aws:lambda:us-east-1:0:function:f',
        'arn:aws:states:us-east-1:0:stateMachine:m',
        'arn:aws:events:us-east-1:0:event-bus/b',
      ].map((arn) => deliveryRequest(arn).action),
    ).toEqual(['sqs:SendMessage', 'lambda:InvokeFunction', 'states:StartExecution', 'events:PutEvents']);
  });
});
