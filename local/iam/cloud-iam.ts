/**
 * IAM as the local cloud's services use it: who a request on the edge comes from (the role whose
 * credentials signed it, else the administrator), the credentials each function runs with, who may
 * call a function URL, and the checks made for calls that never cross the edge — a state
 * machine's tasks, a rule's or a schedule's deliveries, a function's destinations and queue polling.
 */
import type { ActivityLog } from '../activity-log.ts';
import type { FunctionUrlSpec } from '../lambda/function-url.ts';
import { AccessDeniedError, ADMINISTRATOR, Authorizer, type Caller, type IamMode } from './authorizer.ts';
import { accessKeyOf, CredentialIssuer, credentialsEnvironment } from './credentials.ts';
import { deliveryRequest, jsonServiceRequests, restRequests, sesSendRequests, type RequestEnvironment } from './requests.ts';
import { checkSignature, parseAuthorization, type SignatureFault } from './signature.ts';
import type { PolicyBook } from './template-policies.ts';

export interface CloudIamOptions {
  readonly mode: IamMode;
  readonly book: PolicyBook;
  readonly log: ActivityLog;
  readonly region: string;
  readonly accountId: string;
  readonly partitionKeyOf: RequestEnvironment['partitionKeyOf'];
}

export interface EdgeCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** The body of a JSON-protocol request, parsed already. */
  readonly input?: Record<string, unknown>;
}

/** Whether a function URL serves a request, or AWS's error that refuses it. */
export type UrlAuthorization =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: 'AccessDeniedException' }
  | ({ readonly allowed: false } & SignatureFault);

/** The JSON services a state machine's tasks call, by the local cloud's names for them. */
const TASK_TARGET_PREFIX: Record<string, string> = { sqs: 'AmazonSQS', events: 'AWSEvents', states: 'AWSStepFunctions', dynamodb: 'DynamoDB_20120810' };

export class CloudIam {
  private readonly issuer = new CredentialIssuer();
  private readonly authorizer: Authorizer;
  private readonly env: RequestEnvironment;
  /** Session names by role, from the function or machine that first ran with it. */
  private readonly sessions = new Map<string, string>();

  constructor(private readonly options: CloudIamOptions) {
    this.authorizer = new Authorizer({ mode: options.mode, book: options.book, log: options.log, accountId: options.accountId });
    this.env = { region: options.region, accountId: options.accountId, partitionKeyOf: options.partitionKeyOf };
    for (const arn of options.book.unknownManagedPolicies) {
      options.log.record({
        what: 'iam.unknown-policy',
        resource: arn,
        outcome: 'not evaluated',
        detail: 'an AWS managed policy the local cloud does not know: roles are evaluated without it',
      });
    }
  }

  /** Evaluations under way. */
  get pending(): number {
    return this.authorizer.pending;
  }

  /** Resolves once the evaluation engine is loaded. */
  ready(): Promise<void> {
    return this.authorizer.warm();
  }

  /**
   * Whether a function's role may poll a queue (receive, delete, read its attributes), as Lambda
   * checks when an event source mapping is created; false only when enforcing.
   */
  async mayPoll(caller: Caller, queueArn: string): Promise<boolean> {
    const actions = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
    try {
      await this.authorizer.authorize(
        caller,
        actions.map((action) => ({ action, resource: queueArn })),
      );
      return true;
    } catch (error) {
      if (error instanceof AccessDeniedError) return false;
      throw error;
    }
  }

  /** The environment variables that make a function's SDK sign as its role. */
  functionCredentials(roleArn: string | undefined, functionName: string): Record<string, string> {
    if (!roleArn || this.options.mode === 'off') return {};
    this.sessions.set(roleArn, this.sessions.get(roleArn) ?? functionName);
    return credentialsEnvironment(this.issuer.issue(roleArn));
  }

  /** A role's identity, or the administrator when there is no role. */
  asRole(roleArn: string | undefined, session: string): Caller {
    return roleArn ? { kind: 'role', roleArn, session } : ADMINISTRATOR;
  }

  /** A service acting for a resource, judged by the target's resource policy. */
  asService(service: string, sourceArn: string): Caller {
    return { kind: 'service', service, sourceArn };
  }

  /** Authorizes a request on the edge; throws AccessDeniedException when it must be refused. */
  async authorizeEdge(call: EdgeCall): Promise<void> {
    if (this.options.mode === 'off') return;
    const header = call.headers.authorization;
    const roleArn = this.issuer.issuedWith(accessKeyOf(typeof header === 'string' ? header : undefined, call.url))?.roleArn;
    if (!roleArn) return;
    const caller = this.asRole(roleArn, this.sessions.get(roleArn) ?? 'local');
    const target = call.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix = '', action = ''] = target.split('.');
      const input = call.input ?? (call.body.length > 0 ? (JSON.parse(call.body.toString('utf8')) as Record<string, unknown>) : {});
      return this.authorizer.authorize(caller, jsonServiceRequests(prefix, action, input, this.env));
    }
    return this.authorizer.authorize(caller, restRequests(call.method, call.url, call.body, this.env), 403);
  }

  /**
   * A request to a function URL, as Lambda authenticates and authorizes it. With AWS_IAM auth it
   * must be SigV4-signed; signed with credentials the local cloud issued, the signature must hold
   * (see checkSignature; `nows` are the clocks it may be signed by) and the role may invoke the
   * function through its URL by its identity policies or the function's resource policy; signed
   * with other credentials, the caller is the administrator. With NONE auth the caller is
   * anonymous, and only the function's resource policy can let it in.
   */
  async authorizeFunctionUrl(call: EdgeCall, url: FunctionUrlSpec, nows: readonly number[]): Promise<UrlAuthorization> {
    if (url.authType === 'NONE') return this.mayInvokeThroughUrl({ kind: 'anonymous' }, url);
    const header = call.headers.authorization;
    const authorization = parseAuthorization(typeof header === 'string' ? header : undefined);
    // The URL's auth type needs a signature whatever the IAM mode: that is Lambda's, not IAM's.
    if (!authorization) return { allowed: false, code: 'AccessDeniedException' };
    const issued = this.issuer.issuedWith(authorization.accessKeyId);
    if (!issued || this.options.mode === 'off') return { allowed: true };
    const fault = await checkSignature(call, authorization, issued.credentials, nows);
    if (fault) {
      const enforce = this.options.mode === 'enforce';
      this.options.log.record({
        what: 'iam.signature',
        resource: url.functionName,
        outcome: enforce ? 'refused' : 'would-refuse',
        detail: `${fault.code}: ${fault.message}`,
      });
      return enforce ? { allowed: false, ...fault } : { allowed: true };
    }
    return this.mayInvokeThroughUrl(this.asRole(issued.roleArn, this.sessions.get(issued.roleArn) ?? 'local'), url);
  }

  /** `lambda:InvokeFunctionUrl` and, as for URLs made since October 2025, `lambda:InvokeFunction` through the URL. */
  private async mayInvokeThroughUrl(caller: Caller, url: FunctionUrlSpec): Promise<UrlAuthorization> {
    const functionArn = this.qualify(url.functionName);
    try {
      await this.authorizer.authorize(caller, [
        { action: 'lambda:InvokeFunctionUrl', resource: functionArn, context: { 'lambda:FunctionUrlAuthType': url.authType } },
        { action: 'lambda:InvokeFunction', resource: functionArn, context: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      ]);
      return { allowed: true };
    } catch (error) {
      if (error instanceof AccessDeniedError) return { allowed: false, code: 'AccessDeniedException' };
      throw error;
    }
  }

  /** A state machine task's call to a local service (`sqs`, `events`, `states`, `dynamodb`, `sesv2`). */
  authorizeTask(caller: Caller, service: string, action: string, params: Record<string, unknown>): Promise<void> {
    if (service === 'sesv2') return this.authorizer.authorize(caller, action === 'SendEmail' ? sesSendRequests(params, this.env) : []);
    return this.authorizer.authorize(caller, jsonServiceRequests(TASK_TARGET_PREFIX[service] ?? service, action, params, this.env));
  }

  /** Sending to a queue, function, state machine or bus by ARN. */
  authorizeDelivery(caller: Caller, arn: string): Promise<void> {
    return this.authorizer.authorize(caller, [deliveryRequest(this.qualify(arn))]);
  }

  /** A function named by name is named by ARN in policies. */
  private qualify(nameOrArn: string): string {
    return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${nameOrArn}`;
  }
}
