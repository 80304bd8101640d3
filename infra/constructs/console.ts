/**
 * The marketing and operations console in AWS, with no fixed monthly cost: an HTTP API (paid per
 * request, HTTPS only on its execute-api endpoint) in front of one function that serves the same
 * pages as the local console, and a Cognito user pool whose managed login signs people in. No
 * bucket and no CDN: the pages are rendered by the function, and its two static files travel in
 * its bundle.
 *
 * Every route but sign-in and its callback has the Lambda authorizer, which admits a verified
 * session of a member of the `marketing` or `operators` group; the console then checks each
 * action against those groups. The two exempt routes are how a person obtains the session, so they
 * cannot require one; they read and change nothing in the stack.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { IEventBus, IRule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { FunctionUrl, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildAssets } from '#console/assets.ts';
import { CONSOLE_GROUPS } from '#console/auth/roles.ts';
import { CALLBACK_PATH, SIGN_IN_PATH } from '#console/auth/session.ts';
import { EnvVars } from '#shared/config.ts';
import { BaseFunction } from './base-function.ts';
import type { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ProfileStore } from './profile-store.ts';

export interface ConsoleProps {
  /** Unique in the region among all accounts: the managed login's https://<prefix>.auth.<region>.amazoncognito.com */
  readonly domainPrefix: string;
  /** The stack outputs the console works from, as the CLI reads them with `--stack` (values may be tokens). */
  readonly stackOutputs: Readonly<Record<string, string>>;
  /** The journeys, versions and segments, as the launcher has them. */
  readonly definitions: unknown;
  readonly profiles: ProfileStore;
  /** Launches and erasures go through the API's IAM-authorised URL, as the CLI's do. */
  readonly launchUrl: FunctionUrl;
  /** What a redrive reads and sends back to, as `lifecycle dlq redrive` does. */
  readonly redrive: {
    readonly deadLetterQueues: readonly IQueue[];
    readonly bus: IEventBus;
    /** Every rule of the stack: a dead letter from a rule's target goes back to that target. */
    readonly rules: readonly IRule[];
    readonly outreachQueue: IQueue;
    readonly functions: readonly IFunction[];
    readonly stateMachines: readonly IStateMachine[];
  };
  readonly failureQueue: DeadLetterQueue;
  readonly logRetention: RetentionDays;
}

export class Console extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  /** Where people open the console: its sign-in route, which leads on to the journeys. */
  public readonly url: string;
  public readonly handler: BaseFunction;
  public readonly routes: readonly HttpRoute[];

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);
    const common = { failureQueue: props.failureQueue, logRetention: props.logRetention };
    this.userPool = new UserPool(this, 'Users', {
      // People are added by an administrator, into a group; nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // Essentials: the managed login, 10,000 monthly active users free; no per-user fee for staff.
      featurePlan: FeaturePlan.ESSENTIALS,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG8',
      reason:
        'The Plus plan’s threat protection bills every active user with no free tier; the console’s few staff accounts are created by an administrator and sign in with a required TOTP second factor.',
    });
    for (const group of CONSOLE_GROUPS) this.userPool.addGroup(`Group-${group}`, { groupName: group, description: `Console role: ${group}` });
    const domain = this.userPool.addDomain('Login', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.api = new HttpApi(this, 'Api', { description: 'The lifecycle console', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      autoDeploy: true,
      // A few people clicking: a low ceiling stops a runaway script from running up the bill.
      throttle: { rateLimit: 20, burstLimit: 40 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No address and no user: the request, its route and what became of it.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = `${this.stage.url}${SIGN_IN_PATH.slice(1)}`;

    this.client = this.userPool.addClient('Console', {
      // The code is exchanged with PKCE: a public client, no secret to store.
      generateSecret: false,
      authFlows: {},
      oAuth: { flows: { authorizationCodeGrant: true }, scopes: [OAuthScope.OPENID], callbackUrls: [`${this.stage.url}${CALLBACK_PATH.slice(1)}`] },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      preventUserExistenceErrors: true,
    });
    new CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    }).node.addDependency(domain);

    const login = { [EnvVars.ConsoleUserPoolId]: this.userPool.userPoolId, [EnvVars.ConsoleClientId]: this.client.userPoolClientId };
    const authorizerFunction = new BaseFunction(this, 'Authorizer', {
      ...common,
      handler: 'console-authorizer',
      description: 'Admits a verified console session of a member of the console groups',
      environment: login,
    });
    const session = new BaseFunction(this, 'Session', {
      ...common,
      handler: 'console-session',
      description: 'Signs people in to the console through the managed login',
      environment: { ...login, [EnvVars.ConsoleLoginUrl]: domain.baseUrl(), [EnvVars.ConsoleUrl]: this.stage.url },
    });
    this.handler = new BaseFunction(this, 'Pages', {
      ...common,
      handler: 'console',
      description: 'The console pages and actions, for the signed-in person’s role',
      memorySize: 512,
      // Under API Gateway's 30-second integration limit; an erasure waits up to 10 s for its tombstone.
      timeout: Duration.seconds(29),
      environment: { [EnvVars.ConsoleStackOutputs]: Stack.of(this).toJsonString(props.stackOutputs) },
      define: {
        __LIFECYCLE_DEFINITIONS__: JSON.stringify(JSON.stringify(props.definitions)),
        __CONSOLE_ASSETS__: JSON.stringify(JSON.stringify(Object.fromEntries(buildAssets()))),
      },
      assets: [{ from: 'shared/outreach/templates', to: 'templates' }],
    });
    this.grantConsole(props);

    const authorizer = new HttpLambdaAuthorizer('Session', authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // Every request is judged afresh (no cache): a session ends the moment its token does, and at
      // a few people's clicks the extra invocation costs nothing worth saving.
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    const pages = new HttpLambdaIntegration('Pages', this.handler);
    const signIn = new HttpLambdaIntegration('SignIn', session);
    this.routes = [
      ...this.api.addRoutes({ path: '/', methods: [HttpMethod.GET], integration: pages, authorizer }),
      ...this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST], integration: pages, authorizer }),
      ...[SIGN_IN_PATH, CALLBACK_PATH].flatMap((path) => {
        const [route] = this.api.addRoutes({ path, methods: [HttpMethod.GET], integration: signIn, authorizer: new HttpNoneAuthorizer() });
        if (route)
          Validations.of(route).acknowledge({
            id: 'AwsSolutions::AwsSolutions-APIG4',
            reason: 'Signing in is how a person gets the session every other route requires; this route only redirects to or from the managed login.',
          });
        return route ? [route] : [];
      }),
    ];
  }

  /** What the pages and their actions call, as the CLI's operator would, and no more. */
  private grantConsole(props: ConsoleProps): void {
    const fn = this.handler;
    props.profiles.grant(fn, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem']);
    props.profiles.grantProfileReads(fn);
    // A URL with IAM auth takes both: InvokeFunctionUrl, and InvokeFunction on the function behind it.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'], resources: [props.launchUrl.functionArn] }));
    const { redrive } = props;
    for (const queue of redrive.deadLetterQueues) queue.grantConsumeMessages(fn);
    redrive.outreachQueue.grantSendMessages(fn);
    redrive.bus.grantPutEventsTo(fn);
    // A dead letter names its rule; the redrive asks the rule for its target.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['events:ListTargetsByRule'], resources: redrive.rules.map((rule) => rule.ruleArn) }));
    // The function itself, as a failure record names it (grantInvoke would add every version too).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: redrive.functions.map((target) => target.functionArn) }));
    for (const machine of redrive.stateMachines) machine.grantStartExecution(fn);
  }
}
