import { describe, expect, it } from 'vitest';
import { MemoryActivityLog } from '#local/activity-log.ts';
import { AccessDeniedError, Authorizer, type Caller } from '#local/iam/authorizer.ts';
import type { PolicyBook } from '#local/iam/template-policies.ts';

const ROLE = 'arn:aws:iam::000000000000:role/learner';
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/profiles';

// Reads anywhere in the table; writes only to the PRODUCT partitions.
const book: PolicyBook = {
  roles: new Map([
    [
      ROLE,
      {
        identity: [
          {
            name: 'learner',
            policy: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE },
                {
                  Effect: 'Allow',
                  Action: 'dynamodb:Put*',
                  Resource: TABLE,
                  Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PRODUCT*'] } },
                },
              ],
            },
          },
        ],
      },
    ],
  ]),
  resources: new Map(),
  unknownManagedPolicies: new Set(),
};

const caller: Caller = { kind: 'role', roleArn: ROLE, session: 'learner' };
const authorizer = new Authorizer({ mode: 'enforce', book, log: new MemoryActivityLog(), accountId: '000000000000' });
const call = (action: string, key: string) =>
  authorizer.authorize(caller, [{ action, resource: TABLE, context: { 'dynamodb:LeadingKeys': [key] } }]).then(
    () => 'allowed',
    (error: unknown) => (error instanceof AccessDeniedError ? 'denied' : 'failed'),
  );

describe('the authorizer', () => {
  it('judges a condition key only where a statement for the action names it, and there for each value', async () => {
    const answers = await Promise.all([
      call('dynamodb:GetItem', 'CUSTOMER#c-1'),
      call('dynamodb:GetItem', 'PRODUCT#p-1'),
      call('dynamodb:PutItem', 'PRODUCT#p-1'),
      call('dynamodb:PutItem', 'CUSTOMER#c-1'),
      call('dynamodb:PutItem', 'PRODUCT#p-2'),
      call('dynamodb:UpdateItem', 'PRODUCT#p-1'),
    ]);
    expect(answers).toEqual(['allowed', 'allowed', 'allowed', 'denied', 'allowed', 'denied']);
  });

  it('gives the same answer to the same question asked many times at once', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => call('dynamodb:PutItem', n % 2 ? 'PRODUCT#p-3' : 'CUSTOMER#c-3')));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, n) => (n % 2 ? 'allowed' : 'denied')));
  });
});
