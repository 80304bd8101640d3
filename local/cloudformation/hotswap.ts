/**
 * What `cdk deploy --hotswap` may apply to a running stack without CloudFormation: a Lambda
 * function's code, environment and description. Any other difference between the deployed
 * template and the new one needs a full deployment, and the local cloud refuses it with the
 * resources that differ.
 */
import { isDeepStrictEqual } from 'node:util';
import type { StackTemplate, TemplateResource } from './assembly.ts';

/** Properties of a function a hotswap updates in place. */
const HOTSWAPPABLE_FUNCTION_PROPERTIES = new Set(['Code', 'Environment', 'Description']);

export class HotswapError extends Error {
  override readonly name = 'HotswapError';
}

/** A resource as far as a hotswap cannot change it: metadata (the asset's path) aside, a function without what it updates. */
function fixedPart(resource: TemplateResource | undefined): unknown {
  if (!resource) return undefined;
  const { Metadata: _metadata, ...rest } = resource;
  if (resource.Type !== 'AWS::Lambda::Function') return rest;
  const properties = Object.fromEntries(Object.entries(resource.Properties ?? {}).filter(([key]) => !HOTSWAPPABLE_FUNCTION_PROPERTIES.has(key)));
  return { ...rest, Properties: properties };
}

/**
 * The logical ids of the functions a hotswap from `deployed` to `next` updates.
 * @throws HotswapError naming every resource that differs otherwise (added, removed or changed)
 */
export function hotswapFunctions(stackName: string, deployed: StackTemplate, next: StackTemplate): string[] {
  const ids = [...new Set([...Object.keys(deployed.Resources), ...Object.keys(next.Resources)])].sort();
  const refused = ids.filter((id) => !isDeepStrictEqual(fixedPart(deployed.Resources[id]), fixedPart(next.Resources[id])));
  if (refused.length > 0)
    throw new HotswapError(
      `${stackName}: only Lambda code, environment and description can be hotswapped; these resources need a full deployment: ${refused.join(', ')}`,
    );
  if (!isDeepStrictEqual(deployed.Outputs, next.Outputs)) throw new HotswapError(`${stackName}: the outputs changed; that needs a full deployment`);
  return ids.filter(
    (id) => next.Resources[id]?.Type === 'AWS::Lambda::Function' && !isDeepStrictEqual(deployed.Resources[id]?.Properties, next.Resources[id]?.Properties),
  );
}
