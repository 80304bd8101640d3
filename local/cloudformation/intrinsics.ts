/**
 * Resolves the CloudFormation intrinsic functions a synthesized template uses (Ref, Fn::GetAtt,
 * Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If on known conditions) into plain values, given
 * how to name each resource. The local cloud names resources with local ARNs; tests use
 * placeholders. Anything else is an error that names the function, so an unsupported construct
 * fails loudly instead of producing a wrong value.
 */

export interface Namer {
  /** The value of `{ Ref: logicalId }` for a resource or parameter. */
  ref(logicalId: string): string;
  /** The value of `{ 'Fn::GetAtt': [logicalId, attribute] }`. */
  getAtt(logicalId: string, attribute: string): string;
}

export interface Pseudo {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
}

export class UnsupportedIntrinsicError extends Error {
  override readonly name = 'UnsupportedIntrinsicError';
}

function pseudoParameter(name: string, pseudo: Pseudo): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::Partition':
      return pseudo.partition;
    case 'AWS::URLSuffix':
      return pseudo.urlSuffix;
    case 'AWS::StackName':
      return pseudo.stackName;
    case 'AWS::NoValue':
      return undefined;
    default:
      return undefined;
  }
}

const asString = (value: unknown, where: string): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UnsupportedIntrinsicError(`${where} resolved to a non-string value`);
};

/** Resolves every intrinsic function inside `value`, recursively. */
export function resolveIntrinsics(value: unknown, namer: Namer, pseudo: Pseudo): unknown {
  const resolve = (inner: unknown): unknown => resolveIntrinsics(inner, namer, pseudo);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;

  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [key, argument] = first;
    switch (key) {
      case 'Ref': {
        const name = asString(argument, 'Ref');
        return name.startsWith('AWS::') ? pseudoParameter(name, pseudo) : namer.ref(name);
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split(/\.(.+)/);
        return namer.getAtt(asString(logicalId, 'Fn::GetAtt'), asString(resolve(attribute), 'Fn::GetAtt'));
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown];
        const list = resolve(parts);
        if (!Array.isArray(list)) throw new UnsupportedIntrinsicError('Fn::Join needs a list');
        return list.map((part) => asString(part, 'Fn::Join')).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        const resolved = resolve(list);
        if (!Array.isArray(resolved)) throw new UnsupportedIntrinsicError('Fn::Select needs a list');
        return resolved[Number(resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return asString(resolve(source), 'Fn::Split').split(separator);
      }
      case 'Fn::Sub':
        return substitute(argument, namer, pseudo);
      default:
        if (key.startsWith('Fn::')) throw new UnsupportedIntrinsicError(`${key} is not supported by the local cloud`);
    }
  }
  return Object.fromEntries(entries.map(([key, inner]) => [key, resolve(inner)]));
}

/** `Fn::Sub` with `${Name}`, `${Logical.Attribute}` and an optional variable map. */
function substitute(argument: unknown, namer: Namer, pseudo: Pseudo): string {
  const [template, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [String(argument), {}];
  const resolvedVariables = Object.fromEntries(Object.entries(variables).map(([name, inner]) => [name, resolveIntrinsics(inner, namer, pseudo)]));
  return template.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
    if (name in resolvedVariables) return asString(resolvedVariables[name], `Fn::Sub \${${name}}`);
    if (name.startsWith('AWS::')) return asString(pseudoParameter(name, pseudo), `Fn::Sub \${${name}}`);
    const [logicalId, attribute] = name.split(/\.(.+)/);
    return attribute ? namer.getAtt(logicalId ?? name, attribute) : namer.ref(name);
  });
}
