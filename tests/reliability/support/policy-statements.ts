/**
 * Every IAM policy statement a synthesized template holds — in roles' and policies' documents and
 * in resource policies (queues, topics, buses, secrets) alike — with where it sits, so a check can
 * judge each one without knowing the resource types that carry policies.
 */
export interface PolicyStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Condition?: unknown;
  readonly [key: string]: unknown;
}

export interface LocatedStatement {
  /** e.g. `OutreachQueuePolicyEB397F98.Properties.PolicyDocument.Statement[0]` */
  readonly where: string;
  readonly statement: PolicyStatement;
}

/** Walks the template's resources for policy documents: any object with a `Statement` list. */
export function policyStatements(template: { Resources?: Record<string, unknown> }): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${where}[${index}]`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if (Array.isArray(object.Statement)) {
      for (const [index, statement] of object.Statement.entries())
        found.push({ where: `${where}.Statement[${index}]`, statement: statement as PolicyStatement });
    }
    for (const [key, child] of Object.entries(object)) if (key !== 'Statement') walk(child, where ? `${where}.${key}` : key);
  };
  walk(template.Resources ?? {}, '');
  return found;
}

/** The statement's actions as written: one string, a list, or (unexpectedly) an intrinsic. */
export const actionsOf = (statement: PolicyStatement): unknown[] => [statement.Action ?? [], statement.NotAction ?? []].flat();

/**
 * The one kind of statement allowed a wildcard action: a Deny of everything on a resource over
 * plain HTTP (`aws:SecureTransport` false), as `enforceSSL` writes it. It takes permissions away.
 */
export function isTransportGuard(statement: PolicyStatement): boolean {
  const condition = statement.Condition as { Bool?: Record<string, unknown> } | undefined;
  return statement.Effect === 'Deny' && statement.NotAction === undefined && String(condition?.Bool?.['aws:SecureTransport']) === 'false';
}
