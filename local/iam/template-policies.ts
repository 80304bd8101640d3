/**
 * The policies a template declares, read into what evaluation needs: for each role, its identity
 * policies (inline, `AWS::IAM::Policy`, managed policies from the template or AWS's own) and its
 * permissions boundary; for each resource, its resource policy (SQS queue policies, Lambda
 * permissions, event bus policies, Secrets Manager resource policies). Intrinsics are resolved
 * with the local names by the caller's `resolve`, as for every other property.
 */
import { AWS_MANAGED_POLICIES } from './aws-managed-policies.ts';

import type { NamedPolicy, PolicyDocument, Statement } from './policy-document.ts';

export type { NamedPolicy, PolicyDocument, Statement } from './policy-document.ts';

export interface RolePolicies {
  readonly identity: NamedPolicy[];
  readonly boundary?: NamedPolicy;
}

export interface PolicyBook {
  /** By role ARN. */
  readonly roles: Map<string, RolePolicies>;
  /** By resource ARN. */
  readonly resources: Map<string, PolicyDocument>;
  /** Managed policies a role names that the local cloud does not know the content of. */
  readonly unknownManagedPolicies: Set<string>;
}

interface TemplateLike {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

export interface PolicyContext {
  readonly region: string;
  readonly accountId: string;
  /** Resolves intrinsics with the local names. */
  readonly resolve: (value: unknown) => unknown;
  /** The physical ARN of a resource by logical id. */
  readonly arnOf: (logicalId: string) => string;
}

type Props = Record<string, unknown>;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const asDocument = (value: unknown): PolicyDocument => {
  const document = (typeof value === 'string' ? JSON.parse(value) : value) as { Version?: string; Statement?: unknown };
  return { Version: document.Version ?? '2012-10-17', Statement: list(document.Statement) as Statement[] };
};

export function emptyPolicyBook(): PolicyBook {
  return { roles: new Map(), resources: new Map(), unknownManagedPolicies: new Set() };
}

/** Adds the template's policies to `book` (one book holds every stack's). */
export function readPolicies(template: TemplateLike, context: PolicyContext, book: PolicyBook = emptyPolicyBook()): PolicyBook {
  const { region, accountId, resolve } = context;
  const entries = Object.entries(template.Resources);
  const ofType = (type: string) =>
    entries.filter(([, resource]) => resource.Type === type).map(([id, resource]) => [id, resolve(resource.Properties ?? {}) as Props] as const);
  const roleArnByName = new Map<string, string>();
  const managed = new Map<string, NamedPolicy>();
  const roleOf = (arn: string): RolePolicies => {
    let policies = book.roles.get(arn);
    if (!policies) {
      policies = { identity: [] };
      book.roles.set(arn, policies);
    }
    return policies;
  };
  const addResourceStatements = (arn: string, statements: readonly Statement[]) => {
    const existing = book.resources.get(arn);
    book.resources.set(arn, { Version: '2012-10-17', Statement: [...(existing?.Statement ?? []), ...statements] });
  };

  for (const [id, props] of ofType('AWS::IAM::ManagedPolicy')) {
    managed.set(context.arnOf(id), { name: String(props.ManagedPolicyName ?? id), policy: asDocument(props.PolicyDocument) });
  }
  const managedPolicy = (arn: string): NamedPolicy | undefined => {
    const found = managed.get(arn) ?? AWS_MANAGED_POLICIES.get(arn.replace(/^arn:[^:]+:iam::aws:policy\//, ''));
    if (!found) book.unknownManagedPolicies.add(arn);
    return found;
  };

  for (const [id, props] of ofType('AWS::IAM::Role')) {
    const arn = context.arnOf(id);
    roleArnByName.set(arn.split('/').pop() ?? arn, arn);
    const role = roleOf(arn);
    for (const inline of list(props.Policies) as { PolicyName: string; PolicyDocument: unknown }[]) {
      role.identity.push({ name: String(inline.PolicyName), policy: asDocument(inline.PolicyDocument) });
    }
    for (const managedArn of list(props.ManagedPolicyArns)) {
      const policy = managedPolicy(String(managedArn));
      if (policy) role.identity.push(policy);
    }
    const boundary = typeof props.PermissionsBoundary === 'string' ? managedPolicy(props.PermissionsBoundary) : undefined;
    if (boundary) book.roles.set(arn, { ...role, boundary });
  }
  const rolesNamed = (names: unknown): string[] => list(names).map((name) => roleArnByName.get(String(name)) ?? String(name));

  for (const [id, props] of ofType('AWS::IAM::Policy')) {
    for (const arn of rolesNamed(props.Roles)) roleOf(arn).identity.push({ name: String(props.PolicyName ?? id), policy: asDocument(props.PolicyDocument) });
  }
  for (const [id, props] of ofType('AWS::IAM::ManagedPolicy')) {
    const policy = managed.get(context.arnOf(id));
    if (policy) for (const arn of rolesNamed(props.Roles)) roleOf(arn).identity.push(policy);
  }

  for (const [, props] of ofType('AWS::SQS::QueuePolicy')) {
    const document = asDocument(props.PolicyDocument);
    for (const url of list(props.Queues)) addResourceStatements(`arn:aws:sqs:${region}:${accountId}:${String(url).split('/').pop()}`, document.Statement);
  }
  for (const [id, props] of ofType('AWS::Lambda::Permission')) {
    const name = String(props.FunctionName);
    const functionArn = name.startsWith('arn:') ? name.split(':').slice(0, 7).join(':') : `arn:aws:lambda:${region}:${accountId}:function:${name}`;
    addResourceStatements(functionArn, [lambdaPermissionStatement(id, props, functionArn, accountId)]);
  }
  for (const [id, props] of ofType('AWS::Events::EventBusPolicy')) {
    const bus = String(props.EventBusName ?? 'default');
    const busArn = bus.startsWith('arn:') ? bus : `arn:aws:events:${region}:${accountId}:event-bus/${bus}`;
    const statements = props.Statement
      ? list(props.Statement)
      : [
          {
            Sid: props.StatementId ?? id,
            Effect: 'Allow',
            Principal: { AWS: props.Principal === '*' ? '*' : `arn:aws:iam::${String(props.Principal)}:root` },
            Action: props.Action,
            Resource: busArn,
            ...(props.Condition ? { Condition: props.Condition } : {}),
          },
        ];
    addResourceStatements(busArn, statements as Statement[]);
  }
  for (const [, props] of ofType('AWS::SecretsManager::ResourcePolicy')) {
    addResourceStatements(String(props.SecretId), asDocument(props.ResourcePolicy).Statement);
  }
  return book;
}

/** A Lambda permission as the statement Lambda adds to the function's policy. */
function lambdaPermissionStatement(id: string, props: Props, functionArn: string, accountId: string): Statement {
  const principal = String(props.Principal);
  const conditions: Record<string, Record<string, string>> = {};
  // A permission for calls through the function's URL only (Lambda's InvokedViaFunctionUrl).
  if (props.InvokedViaFunctionUrl === true || props.InvokedViaFunctionUrl === 'true') conditions.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
  if (typeof props.SourceArn === 'string') conditions.ArnLike = { 'aws:SourceArn': props.SourceArn };
  if (typeof props.SourceAccount === 'string') (conditions.StringEquals ??= {})['aws:SourceAccount'] = props.SourceAccount;
  if (typeof props.FunctionUrlAuthType === 'string') (conditions.StringEquals ??= {})['lambda:FunctionUrlAuthType'] = props.FunctionUrlAuthType;
  const isService = principal.endsWith('.amazonaws.com');
  const awsPrincipal = principal === '*' ? '*' : /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal;
  return {
    Sid: id,
    Effect: 'Allow',
    Principal: isService ? { Service: principal } : { AWS: awsPrincipal === accountId ? `arn:aws:iam::${accountId}:root` : awsPrincipal },
    Action: props.Action,
    Resource: functionArn,
    ...(Object.keys(conditions).length > 0 && { Condition: conditions }),
  };
}

/** One book of several stacks' policies. */
export function mergePolicyBooks(books: readonly PolicyBook[]): PolicyBook {
  const merged = emptyPolicyBook();
  for (const book of books) {
    for (const [arn, role] of book.roles) merged.roles.set(arn, role);
    for (const [arn, policy] of book.resources) merged.resources.set(arn, policy);
    for (const arn of book.unknownManagedPolicies) merged.unknownManagedPolicies.add(arn);
  }
  return merged;
}
