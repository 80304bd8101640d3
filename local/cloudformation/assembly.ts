/**
 * Reads a CDK cloud assembly (`cdk.out`): each stack's template, and where each Lambda function's
 * bundled code sits. The local cloud runs exactly what `cdk deploy` would upload.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

export interface StackTemplate {
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Description?: string }>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
}

export interface StackArtifact {
  readonly stackName: string;
  readonly template: StackTemplate;
  /** Code directories by the S3 key CloudFormation would deploy them from. */
  readonly assetDirs: ReadonlyMap<string, string>;
  readonly directory: string;
}

interface Manifest {
  readonly artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string; file?: string }; displayName?: string }>;
}

interface AssetManifest {
  readonly files?: Record<string, { source: { path?: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }>;
}

export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
}

export function readAssembly(directory: string): StackArtifact[] {
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) throw new AssemblyError(`no cloud assembly in ${directory}: run npx cdk synth`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const artifacts = Object.entries(manifest.artifacts ?? {});

  const assetDirs = new Map<string, string>();
  for (const [, artifact] of artifacts) {
    if (artifact.type !== 'cdk:asset-manifest' || !artifact.properties?.file) continue;
    const assets = JSON.parse(readFileSync(join(directory, artifact.properties.file), 'utf8')) as AssetManifest;
    for (const file of Object.values(assets.files ?? {})) {
      if (file.source.packaging !== 'zip' || !file.source.path) continue;
      for (const destination of Object.values(file.destinations)) assetDirs.set(destination.objectKey, join(directory, file.source.path));
    }
  }

  return artifacts
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map(([id, artifact]) => ({
      stackName: artifact.properties?.stackName ?? artifact.displayName ?? id,
      template: JSON.parse(readFileSync(join(directory, artifact.properties?.templateFile ?? ''), 'utf8')) as StackTemplate,
      assetDirs,
      directory,
    }));
}

/** The directory holding a function's bundled code. */
export function codeDirectory(stack: StackArtifact, resource: TemplateResource): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return join(stack.directory, assetPath);
  const code = resource.Properties?.Code as { S3Key?: unknown } | undefined;
  return typeof code?.S3Key === 'string' ? stack.assetDirs.get(code.S3Key) : undefined;
}
