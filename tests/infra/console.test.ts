/**
 * The console in the stack: an HTTP API whose every route has the session authorizer but the two
 * that sign a person in, served over TLS only, with a user pool only an administrator adds people
 * to, and no bucket anywhere. Judged from the synthesized template.
 */
import { describe, expect, it } from 'vitest';
import { defaultStack } from '#tests/support/stack.ts';

const { template } = defaultStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
const all = (type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const only = (type: string): [string, Resource] => {
  const found = all(type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};

describe('the deployed console', () => {
  it('puts the session authorizer on every route but sign-in and its callback', () => {
    const [authorizerId, authorizer] = only('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'REQUEST', AuthorizerPayloadFormatVersion: '2.0' });
    expect(authorizer.Properties.EnableSimpleResponses).toBe(true);
    const routes = all('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);
    const open = routes.filter((route) => route.AuthorizationType === 'NONE').map((route) => route.RouteKey);
    const guarded = routes.filter((route) => route.AuthorizationType !== 'NONE');

    expect(open.sort()).toEqual(['GET /auth/callback', 'GET /sign-in']);
    expect(guarded.map((route) => route.RouteKey).sort()).toEqual(['GET /', 'GET /{proxy+}', 'POST /{proxy+}']);
    for (const route of guarded) {
      expect(route.AuthorizationType, String(route.RouteKey)).toBe('CUSTOM');
      expect(route.AuthorizerId, String(route.RouteKey)).toEqual({ Ref: authorizerId });
    }
  });

  it('lets the authorizer judge every request afresh, with nothing cached', () => {
    const [, authorizer] = only('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties.AuthorizerResultTtlInSeconds ?? 0).toBe(0);
    // No identity source: a request without a session cookie still reaches the authorizer, which refuses it.
    expect(authorizer.Properties.IdentitySource ?? []).toEqual([]);
  });

  it('serves over TLS only: the execute-api endpoint, no custom domain or plain-HTTP listener, and https URLs', () => {
    const [, api] = only('AWS::ApiGatewayV2::Api');
    expect(api.Properties.ProtocolType).toBe('HTTP');
    expect(api.Properties.DisableExecuteApiEndpoint).not.toBe(true);
    expect(all('AWS::ApiGatewayV2::DomainName')).toEqual([]);
    expect(all('AWS::ElasticLoadBalancingV2::Listener')).toEqual([]);
    expect(all('AWS::CloudFront::Distribution')).toEqual([]);
    const url = JSON.stringify(template.findOutputs('ConsoleUrl').ConsoleUrl?.Value);
    expect(url).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",/);
    expect(url).toContain('/sign-in');
    const [, client] = only('AWS::Cognito::UserPoolClient');
    for (const callback of client.Properties.CallbackURLs as unknown[]) expect(JSON.stringify(callback)).toMatch(/"https:\/\/"/);
  });

  it('has no bucket at all: pages and their two static files come from the function', () => {
    expect(all('AWS::S3::Bucket')).toEqual([]);
    expect(all('AWS::S3::BucketPolicy')).toEqual([]);
  });

  it('throttles the API and logs each request without addresses or user names', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
    const format = String((stage.Properties.AccessLogSettings as { Format: string }).Format);
    expect(() => JSON.parse(format)).not.toThrow();
    expect(format).not.toMatch(/sourceIp|identity\.user|principalId|authorizer\.claims/);
  });

  it('signs people in with the managed login and a code exchange with PKCE, never with a client secret', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({ AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], GenerateSecret: false });
    const [, domain] = only('AWS::Cognito::UserPoolDomain');
    expect(domain.Properties.ManagedLoginVersion).toBe(2);
  });

  it('lets only an administrator add people, requires a second factor, and has the two console groups', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    const groups = all('AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties.GroupName);
    expect(groups.sort()).toEqual(['marketing', 'operators']);
  });

  it("gives the console's function no wildcard action and no wildcard resource", () => {
    const [[, policy] = []] = all('AWS::IAM::Policy').filter(([id]) => id.startsWith('ConsolePagesRoleDefaultPolicy'));
    type Statement = { Action: string | string[]; Resource: unknown };
    const statements = ((policy?.Properties.PolicyDocument ?? { Statement: [] }) as { Statement: Statement[] }).Statement;
    expect(statements.length).toBeGreaterThan(0);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.endsWith('*'))).toEqual([]);
    const ownResources = statements.filter((statement) => ![statement.Action].flat().some((action) => action.startsWith('xray:')));
    for (const statement of ownResources) expect(JSON.stringify(statement.Resource), JSON.stringify(statement.Action)).not.toMatch(/"\*"|:\*"/);
    expect(actions).toEqual(expect.arrayContaining(['lambda:InvokeFunctionUrl', 'dynamodb:GetItem', 'sqs:ReceiveMessage', 'events:PutEvents']));
  });
});
