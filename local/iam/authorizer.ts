/**
 * IAM in the local cloud: every call by an identity the template declares — a function's or a
 * state machine's role, a rule's or a schedule's role, a service principal acting for a rule, or
 * an anonymous caller of a function URL —
 * is evaluated against the template's policies with AWS's evaluation logic (the
 * `@cloud-copilot/iam-simulate` engine: explicit deny wins, wildcards, condition operators,
 * identity and resource policies, permissions boundaries). A refused call fails with AWS's
 * AccessDeniedException and message; the activity log says what no statement allowed, and which
 * statements came close. Callers with credentials the local cloud did not issue are the account's
 * administrator, as the account's own operators would be.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { ActivityLog } from '../activity-log.ts';
import { AwsServiceError } from '../aws-error.ts';
import type { IamRequest } from './requests.ts';
import type { PolicyBook, PolicyDocument, Statement } from './template-policies.ts';

/** enforce: refuse what AWS would refuse; warn: log it and go on; off: evaluate nothing. */
export type IamMode = 'enforce' | 'warn' | 'off';

export type Caller =
  /** Signed with credentials the local cloud did not issue, or not signed. */
  | { readonly kind: 'administrator' }
  | { readonly kind: 'role'; readonly roleArn: string; readonly session: string }
  /** An AWS service acting for a resource (EventBridge for a rule), judged by resource policies. */
  | { readonly kind: 'service'; readonly service: string; readonly sourceArn: string }
  /** An unsigned request where AWS takes one (a function URL with NONE auth), judged by resource policies. */
  | { readonly kind: 'anonymous' };

export const ADMINISTRATOR: Caller = { kind: 'administrator' };

export interface AuthorizerDeps {
  readonly mode: IamMode;
  readonly book: PolicyBook;
  readonly log: ActivityLog;
  readonly accountId: string;
}

interface Verdict {
  readonly allowed: boolean;
  /** The AccessDeniedException message. */
  readonly message: string;
  /** For the log: what was missing, or which statement denied. */
  readonly why: string;
}

// Context keys a request may carry that change the answer only where a policy names them: left out
// otherwise, so that one verdict serves every customer's key.
const REQUEST_KEYS = [
  'dynamodb:LeadingKeys',
  'events:source',
  'events:detail-type',
  'iam:PassedToService',
  'lambda:FunctionUrlAuthType',
  'lambda:InvokedViaFunctionUrl',
];
const MAX_CACHED = 20_000;

export class AccessDeniedError extends AwsServiceError {
  constructor(message: string, statusCode = 400) {
    super('AccessDeniedException', message, statusCode);
  }
}

export class Authorizer {
  /**
   * Verdicts by request, kept as promises: a burst asks the same question many times before the
   * first answer is in, and each would otherwise run its own simulation.
   */
  private readonly verdicts = new Map<string, Promise<Verdict>>();
  private readonly mentions = new Map<string, string>();
  /** Evaluations under way: work in progress, for a cloud that waits until it is idle. */
  pending = 0;

  constructor(private readonly deps: AuthorizerDeps) {}

  /** Loads the engine's action data once, so that no call waits for it. */
  async warm(): Promise<void> {
    if (this.deps.mode === 'off') return;
    await runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${this.deps.accountId}:root`,
          action: 'sqs:SendMessage',
          resource: { resource: `arn:aws:sqs:us-east-1:${this.deps.accountId}:warm`, accountId: this.deps.accountId },
          contextVariables: {},
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
  }

  /**
   * Authorizes every request of one call; in enforce mode throws AccessDeniedException for the
   * first that AWS would refuse.
   */
  async authorize(caller: Caller, requests: readonly IamRequest[], statusCode = 400): Promise<void> {
    if (this.deps.mode === 'off' || caller.kind === 'administrator') return;
    for (const request of requests) {
      this.pending++;
      const verdict = await this.evaluate(caller, request).finally(() => this.pending--);
      if (verdict.allowed) {
        if (verdict.why) this.deps.log.record({ what: 'iam.unevaluated', resource: request.action, outcome: 'allowed', detail: verdict.why });
        continue;
      }
      const who = caller.kind === 'role' ? roleName(caller.roleArn) : caller.kind === 'service' ? caller.service : 'anonymous';
      this.deps.log.record({ what: 'iam.denied', resource: who, outcome: this.deps.mode === 'enforce' ? 'refused' : 'would-refuse', detail: verdict.why });
      if (this.deps.mode === 'enforce') throw new AccessDeniedError(verdict.message, statusCode);
    }
  }

  private async evaluate(caller: Exclude<Caller, { kind: 'administrator' }>, request: IamRequest): Promise<Verdict> {
    const resources = typeof request.resource === 'string' ? [request.resource] : request.resource;
    let first: Verdict | undefined;
    for (const resource of resources) {
      const verdict = await this.evaluateOne(caller, request.action, resource, request.context ?? {});
      if (verdict.allowed) return verdict;
      first ??= verdict;
    }
    return first ?? { allowed: true, message: '', why: '' };
  }

  private async evaluateOne(
    caller: Exclude<Caller, { kind: 'administrator' }>,
    action: string,
    resource: string,
    requestContext: Readonly<Record<string, string | readonly string[]>>,
  ): Promise<Verdict> {
    const identity = caller.kind === 'role' ? this.deps.book.roles.get(caller.roleArn) : undefined;
    const resourcePolicy = this.deps.book.resources.get(resource);
    const named = this.mentioned(caller, action, resource, identity?.identity.map((entry) => entry.policy) ?? [], resourcePolicy);
    const context: Record<string, string | string[]> = {
      'aws:SecureTransport': 'true',
      ...(caller.kind !== 'anonymous' && { 'aws:PrincipalAccount': this.deps.accountId }),
    };
    if (caller.kind === 'role') context['aws:PrincipalArn'] = caller.roleArn;
    if (caller.kind === 'service') Object.assign(context, { 'aws:SourceArn': caller.sourceArn, 'aws:SourceAccount': this.deps.accountId });
    for (const [key, value] of Object.entries(requestContext))
      if (named.includes(key.toLowerCase())) context[key] = typeof value === 'string' ? value : [...value];

    const principal =
      caller.kind === 'role' ? sessionArn(caller.roleArn, caller.session, this.deps.accountId) : caller.kind === 'service' ? caller.service : 'anonymous';
    const key = JSON.stringify([principal, action, resource, context]);
    const cached = this.verdicts.get(key);
    if (cached) return cached;

    const simulation: Simulation = {
      request: {
        principal: caller.kind === 'anonymous' ? { type: 'Anonymous' } : principal,
        action,
        resource: { resource, accountId: this.deps.accountId },
        contextVariables: context,
      },
      identityPolicies: (identity?.identity ?? []).map((entry, index) => ({ name: `${entry.name}#${index}`, policy: entry.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy && { resourcePolicy }),
      ...(identity?.boundary && { permissionBoundaryPolicies: [{ name: identity.boundary.name, policy: identity.boundary.policy }] }),
    };
    const verdict = runSimulation(simulation, {}).then((result) => verdictOf(result, principal, action, resource));
    if (this.verdicts.size >= MAX_CACHED) this.verdicts.clear();
    this.verdicts.set(key, verdict);
    // A simulation that fails is asked again next time, not remembered.
    verdict.catch(() => this.verdicts.delete(key));
    return verdict;
  }

  /**
   * The request context keys named by the statements that may apply to the action (a key no such
   * statement names cannot change the verdict, so leaving it out lets one verdict serve every
   * value of it), lower-cased.
   */
  private mentioned(caller: Caller, action: string, resource: string, identity: readonly PolicyDocument[], resourcePolicy: PolicyDocument | undefined): string {
    const key = `${caller.kind === 'role' ? caller.roleArn : ''}|${action}|${resource}`;
    let text = this.mentions.get(key);
    if (text === undefined) {
      const statements = [...identity, ...(resourcePolicy ? [resourcePolicy] : [])].flatMap((policy) => policy.Statement);
      const all = JSON.stringify(statements.filter((statement) => mayApply(statement, action))).toLowerCase();
      text = REQUEST_KEYS.filter((name) => all.includes(name.toLowerCase()))
        .join(' ')
        .toLowerCase();
      this.mentions.set(key, text);
    }
    return text;
  }
}

/** Whether a statement may apply to an action: one with NotAction may, one with Action when a pattern of it matches. */
function mayApply(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined || statement.Action === undefined) return true;
  const patterns = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
  return patterns.some((pattern) => typeof pattern !== 'string' || actionPattern(pattern).test(action));
}

/** An IAM action pattern (`dynamodb:Get*`, `*`) as a case-insensitive expression. */
const actionPattern = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

const roleName = (roleArn: string): string => roleArn.split('/').pop() ?? roleArn;

/** The ARN a role's session calls as, as `sts:GetCallerIdentity` would show it. */
export function sessionArn(roleArn: string, session: string, accountId: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName(roleArn)}/${session}`;
}

type SimulationResult = Awaited<ReturnType<typeof runSimulation>>;
type Analysis = { result: string; identityAnalysis?: StatementsOf; resourceAnalysis?: StatementsOf; permissionBoundaryAnalysis?: StatementsOf };
type StatementsOf = { result: string; denyStatements: StatementRef[]; unmatchedStatements: StatementRef[] };
type StatementRef = {
  policyId: string;
  actionMatch: boolean;
  resourceMatch: boolean;
  statement: { index(): number; sid(): string | undefined; effect(): string };
};

const describe = (ref: StatementRef): string => `${ref.policyId.replace(/#\d+$/, '')} statement ${ref.statement.sid() ?? ref.statement.index()}`;

function verdictOf(result: SimulationResult, principal: string, action: string, resource: string): Verdict {
  const base = `User: ${principal} is not authorized to perform: ${action} on resource: ${resource}`;
  if (result.resultType === 'error') {
    // The engine cannot judge this request (an action or resource type it does not know): say so
    // and let it through rather than refuse what AWS might allow.
    return { allowed: true, message: '', why: `not evaluated: ${result.errors.message}` };
  }
  if (result.overallResult === 'Allowed') return { allowed: true, message: '', why: '' };
  const analysis = (result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis) as unknown as Analysis | undefined;
  const denied = [analysis?.identityAnalysis, analysis?.resourceAnalysis, analysis?.permissionBoundaryAnalysis].flatMap((part) => part?.denyStatements ?? []);
  if (result.overallResult === 'ExplicitlyDenied') {
    const inResource = (analysis?.resourceAnalysis?.denyStatements.length ?? 0) > 0;
    return {
      allowed: false,
      message: `${base} with an explicit deny in ${inResource ? 'a resource-based' : 'an identity-based'} policy`,
      why: `${action} on ${resource}: explicitly denied by ${denied.map(describe).join(', ') || 'a policy'}`,
    };
  }
  if (analysis?.permissionBoundaryAnalysis && analysis.permissionBoundaryAnalysis.result !== 'Allowed' && analysis.identityAnalysis?.result === 'Allowed') {
    return {
      allowed: false,
      message: `${base} because no permissions boundary allows the ${action} action`,
      why: `${action} on ${resource}: outside the permissions boundary`,
    };
  }
  // Allow statements for the action that missed on resource or condition: the likely typo.
  const near = (analysis?.identityAnalysis?.unmatchedStatements ?? [])
    .filter((ref) => ref.actionMatch && ref.statement.effect() === 'Allow')
    .map((ref) => `${describe(ref)} (${ref.resourceMatch ? 'condition' : 'resource'} does not match)`);
  return {
    allowed: false,
    // A service acting for a resource, or an anonymous caller, has no identity policy: only the target's resource policy could allow it.
    message: `${base} because no ${principal.startsWith('arn:') ? 'identity' : 'resource'}-based policy allows the ${action} action`,
    why: `no statement allows ${action} on ${resource}${near.length > 0 ? `; closest: ${near.join(', ')}` : ''}`,
  };
}
