import { describe, expect, it } from 'vitest';
import { stateMachineDefinitions } from '#tests/support/definitions.ts';
import { defaultStack } from '#tests/support/stack.ts';

const { template } = defaultStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const resources = (type: string, prefix: string) =>
  Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix)) as [string, Resource][];
function only(found: [string, Resource][]): [string, Resource] {
  expect(found).toHaveLength(1);
  return found[0] ?? expect.unreachable();
}
const statementsOf = (policyPrefix: string) =>
  (only(resources('AWS::IAM::Policy', policyPrefix))[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
const dynamoStatements = (policyPrefix: string) =>
  statementsOf(policyPrefix).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));

describe('what the system learns about the customer base', () => {
  it('learns products from orders, carts and views, with retries and a dead-letter queue', () => {
    const [, rule] = only(resources('AWS::Events::Rule', 'EventsLearnProductsRoute'));
    expect(rule.Properties).toMatchObject({
      EventPattern: { 'detail-type': ['order.placed', 'cart.updated', 'product.viewed'] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/^InsightsLearnProducts/), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^EventsDeliveryDeadLetters/), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
        },
      ],
    });
  });

  it('lets the product learner read profiles but write only recommendation-store items', () => {
    const statements = dynamoStatements('InsightsLearnProductsRoleDefaultPolicy');
    const writes = statements.filter((statement) => [statement.Action].flat().some((action) => /Put|Update|Delete|Write/.test(action)));
    expect(writes).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PRODUCT*'] } } })]);
    expect(statements.find((statement) => !statement.Condition)?.Action).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']);
  });

  it('scores the customer base at 02:00 UTC, before the segments built on the scores are evaluated at 04:00', () => {
    const [, scoring] = only(resources('AWS::Events::Rule', 'InsightsDailyScoring'));
    expect(scoring.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^InsightsScoreCustomers/), 'Arn'] } }],
    });
    const [, segments] = only(resources('AWS::Events::Rule', 'JourneysEvaluateSegments'));
    expect(segments.Properties.ScheduleExpression).toBe('cron(0 4 * * ? *)');
    expect(JSON.stringify(segments.Properties.Targets)).toContain('at-risk');
  });

  it('reads profiles through a scan of the stage index, and records scores as events rather than writing profiles itself', () => {
    const statements = statementsOf('InsightsScoreCustomersRoleDefaultPolicy');
    const onIndex = statements.find((statement) => JSON.stringify(statement.Resource).includes('/index/byStageActivity'));
    expect(onIndex?.Action).toEqual(['dynamodb:Query', 'dynamodb:Scan']);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).toContain('dynamodb:BatchGetItem');
    expect(actions).toContain('events:PutEvents');
    // A scan of the table itself would read every timeline entry: only the index is scanned.
    expect(
      statements.filter((statement) => [statement.Action].flat().includes('dynamodb:Scan') && !JSON.stringify(statement.Resource).includes('/index/')),
    ).toEqual([]);
    expect(actions.filter((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual([]);
  });
});

describe('the support workflow', () => {
  const definitions = stateMachineDefinitions(template.toJSON() as never);
  const [, support] = [...definitions].find(([id]) => id.startsWith('SupportWorkflow')) ?? expect.unreachable();
  const states = support.States;

  it('answers or escalates only support.requested, after the event is recorded, and never for an erased customer', () => {
    expect(states['Send notices']?.Next).toBe('Support requested?');
    expect(states['Support requested?']).toMatchObject({
      Type: 'Choice',
      Choices: [
        {
          And: [{ Variable: '$.detail-type', StringEquals: 'support.requested' }, { Not: { Variable: '$.recorded.status', StringEquals: 'erased' } }],
          Next: 'Answer or escalate',
        },
      ],
      Default: 'Stage changed?',
    });
  });

  it('sends the reply or acknowledgement, then puts support.resolved or support.escalated, then moves the stage', () => {
    expect(states['Answer or escalate']).toMatchObject({ Type: 'Task', ResultPath: '$.answered', Next: 'Send support emails' });
    expect(states['Send support emails']).toMatchObject({ Type: 'Map', ItemsPath: '$.answered.sends', Next: 'Put support events' });
    expect(states['Put support events']).toMatchObject({ Type: 'Map', Next: 'Stage changed?' });
  });

  it('never retries an invalid request, retries the rest, and parks what still fails', () => {
    const answer = states['Answer or escalate'];
    expect(answer?.Retry?.[0]).toMatchObject({ MaxAttempts: 0 });
    expect(answer?.Retry?.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL' });
    for (const name of ['Answer or escalate', 'Send support emails', 'Put support events'])
      expect(states[name]?.Catch?.[0]?.Next, name).toBe('Park failed event');
  });

  it('lets the answering function read profiles and nothing more, with the knowledge base in its bundle', () => {
    expect(dynamoStatements('AnswerSupportRoleDefaultPolicy').map((statement) => statement.Action)).toEqual(['dynamodb:GetItem']);
  });
});
