/**
 * Copies of a synthesized stack with grants taken out, as a developer forgetting one would leave
 * it: to see that the local cloud refuses what AWS would.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An action granted in a policy (an `AWS::IAM::Policy` or a resource policy such as a queue's),
 * named by a prefix of the policy's logical id; or a Lambda permission (`AWS::Lambda::Permission`),
 * named by a prefix of its logical id.
 */
export type GrantToRemove = { readonly policy: string; readonly action: string } | { readonly permission: string };

type Statement = { Action: string | string[] };
type Template = { Resources: Record<string, { Type: string; Properties?: { PolicyDocument?: { Statement: Statement[] } } }> };

/** Takes `action` out of every statement of the matching policies (dropping a statement left empty), or the matching permissions out of the template. */
function removeGrant(template: Template, grant: GrantToRemove): number {
  if ('permission' in grant) {
    const permissions = Object.keys(template.Resources).filter(
      (logicalId) => logicalId.startsWith(grant.permission) && template.Resources[logicalId]?.Type === 'AWS::Lambda::Permission',
    );
    for (const logicalId of permissions) delete template.Resources[logicalId];
    return permissions.length;
  }
  let removed = 0;
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const document = resource.Properties?.PolicyDocument;
    if (!logicalId.startsWith(grant.policy) || !document) continue;
    document.Statement = document.Statement.flatMap((statement) => {
      const actions = typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
      if (!actions.includes(grant.action)) return [statement];
      removed++;
      const left = actions.filter((action) => action !== grant.action);
      return left.length > 0 ? [{ ...statement, Action: left }] : [];
    });
  }
  return removed;
}

/**
 * A copy of the cloud assembly whose stack lacks these grants.
 * @throws when a grant is not there to remove: the test would prove nothing
 */
export function assemblyWithout(assemblyDir: string, grants: readonly GrantToRemove[]): string {
  const copy = mkdtempSync(join(tmpdir(), 'without-grants-'));
  cpSync(assemblyDir, copy, { recursive: true });
  const [templateFile] = readdirSync(copy).filter((file) => file.endsWith('.template.json'));
  if (!templateFile) throw new Error(`no template in ${assemblyDir}`);
  const template = JSON.parse(readFileSync(join(copy, templateFile), 'utf8')) as Template;
  for (const grant of grants) {
    if (removeGrant(template, grant) === 0)
      throw new Error('permission' in grant ? `no Lambda permission named ${grant.permission}*` : `no ${grant.action} in a policy named ${grant.policy}*`);
  }
  writeFileSync(join(copy, templateFile), JSON.stringify(template));
  return copy;
}
