/**
 * AWS managed policies the local cloud knows the content of, by name (the ARN after
 * `arn:aws:iam::aws:policy/`). A role that names one not here is evaluated without it, and the
 * local cloud says so when it starts. Each is written from AWS's published policy document.
 */
import type { NamedPolicy } from './policy-document.ts';

const policy = (name: string, statements: Record<string, unknown>[]): [string, NamedPolicy] => [
  name,
  { name: name.split('/').pop() ?? name, policy: { Version: '2012-10-17', Statement: statements } },
];

export const AWS_MANAGED_POLICIES: ReadonlyMap<string, NamedPolicy> = new Map([
  policy('service-role/AWSLambdaBasicExecutionRole', [
    { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
  ]),
  policy('service-role/AWSLambdaSQSQueueExecutionRole', [
    {
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    },
  ]),
  policy('AdministratorAccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }]),
]);
