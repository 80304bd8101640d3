/**
 * Secrets Manager in the local cloud: the secrets the template declares, their values given or
 * generated as CloudFormation would, served over the JSON protocol (`secretsmanager.<Action>`):
 * GetSecretValue, DescribeSecret, ListSecrets and PutSecretValue with version stages, so that a
 * function can rotate a secret (AWSCURRENT moves to the new version, AWSPREVIOUS to the old).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AwsServiceError, unknownOperation, type JsonActionHandler } from '../aws-error.ts';
import { generateSecretString, type GenerateSecretString, type RandomBytes } from './generate-password.ts';
import { readState, writeState, type StoredSecret, type StoredVersion } from './state-file.ts';

export interface SecretDefinition {
  readonly name: string;
  readonly arn: string;
  readonly secretString?: string;
  /** CloudFormation's GenerateSecretString. */
  readonly generate?: GenerateSecretString;
}

export interface SecretsServiceDeps {
  /** Generated values are kept here (JSON) when given, so a secret keeps its value between runs with a data directory. */
  readonly stateFile?: string;
  readonly random?: RandomBytes;
  /** Epoch milliseconds, for the dates Secrets Manager reports. @default Date.now */
  readonly now?: () => number;
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
/** Secrets Manager keeps about 100 versions; older versions without a stage go first. */
const MAX_VERSIONS = 100;

/** The JSON protocol's timestamps: epoch seconds. */
const seconds = (ms: number): number => ms / 1000;

const notFound = (): AwsServiceError => new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

function fingerprintOf(definition: SecretDefinition): string {
  return createHash('sha256')
    .update(JSON.stringify({ secretString: definition.secretString, generate: definition.generate }))
    .digest('hex');
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

interface Secret {
  readonly definition: SecretDefinition;
  readonly state: StoredSecret;
}

export class SecretsService {
  private readonly secrets = new Map<string, Secret>();
  private readonly stored: Map<string, StoredSecret>;
  private readonly random: RandomBytes;
  private readonly now: () => number;

  constructor(private readonly deps: SecretsServiceDeps) {
    this.stored = readState(deps.stateFile);
    this.random = deps.random ?? randomBytes;
    this.now = deps.now ?? Date.now;
  }

  /** Declares a secret; its value comes from the state file when the definition is unchanged. */
  add(definition: SecretDefinition): void {
    const fingerprint = fingerprintOf(definition);
    let state = this.stored.get(definition.name);
    if (state?.fingerprint !== fingerprint) {
      const now = this.now();
      const value = definition.secretString ?? (definition.generate ? generateSecretString(definition.generate, this.random) : undefined);
      // Neither a value nor a way to make one: a secret without versions, as CloudFormation would leave it.
      const versions: StoredVersion[] = value === undefined ? [] : [{ versionId: randomUUID(), secretString: value, stages: [CURRENT], createdDate: now }];
      state = { fingerprint, createdDate: now, lastChangedDate: now, versions };
      this.stored.set(definition.name, state);
      this.save();
    }
    this.secrets.set(definition.name, { definition, state });
  }

  /** JSON protocol, X-Amz-Target `secretsmanager.<Action>`. */
  readonly handle: JsonActionHandler = async (action, input) => {
    switch (action) {
      case 'GetSecretValue':
        return this.getSecretValue(input);
      case 'DescribeSecret':
        return this.describe(this.find(requiredString(input, 'SecretId')));
      case 'ListSecrets':
        return this.list(input);
      case 'PutSecretValue':
        return this.putSecretValue(input);
      default:
        throw unknownOperation('Secrets Manager', action);
    }
  };

  /** By name, full ARN, or ARN without the random suffix AWS adds. */
  private find(secretId: string): Secret {
    const byName = this.secrets.get(secretId);
    if (byName) return byName;
    for (const secret of this.secrets.values()) {
      const arn = secret.definition.arn;
      if (arn === secretId || arn.startsWith(`${secretId}-`)) return secret;
    }
    throw notFound();
  }

  private getSecretValue(input: Record<string, unknown>) {
    const secret = this.find(requiredString(input, 'SecretId'));
    const versionId = optionalString(input.VersionId);
    const stage = optionalString(input.VersionStage) ?? (versionId ? undefined : CURRENT);
    const version = secret.state.versions.find(
      (candidate) => (!versionId || candidate.versionId === versionId) && (!stage || candidate.stages.includes(stage)),
    );
    if (!version) {
      const which = versionId ? `VersionId: ${versionId}` : `staging label: ${stage ?? CURRENT}`;
      throw new AwsServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${which}`);
    }
    secret.state.lastAccessedDate = this.now();
    return {
      ARN: secret.definition.arn,
      Name: secret.definition.name,
      VersionId: version.versionId,
      ...(version.secretString !== undefined && { SecretString: version.secretString }),
      ...(version.secretBinary !== undefined && { SecretBinary: version.secretBinary }),
      VersionStages: [...version.stages],
      CreatedDate: seconds(version.createdDate),
    };
  }

  private stagesOf(secret: Secret): Record<string, string[]> {
    return Object.fromEntries(secret.state.versions.filter((version) => version.stages.length > 0).map((version) => [version.versionId, [...version.stages]]));
  }

  private describe(secret: Secret) {
    const { state } = secret;
    return {
      ARN: secret.definition.arn,
      Name: secret.definition.name,
      CreatedDate: seconds(state.createdDate),
      LastChangedDate: seconds(state.lastChangedDate),
      ...(state.lastAccessedDate !== undefined && { LastAccessedDate: seconds(state.lastAccessedDate) }),
      VersionIdsToStages: this.stagesOf(secret),
    };
  }

  private list(input: Record<string, unknown>) {
    const filters = Array.isArray(input.Filters) ? (input.Filters as { Key?: string; Values?: string[] }[]) : [];
    for (const filter of filters) {
      if (filter.Key !== 'name' && filter.Key !== 'all')
        throw new AwsServiceError('InvalidParameterException', `The local cloud filters secrets by name or all, not ${String(filter.Key)}.`);
    }
    // Each filter narrows the list; a filter matches when the name starts with any of its values.
    const matches = (secret: Secret) =>
      filters.every((filter) => (filter.Values ?? []).some((value) => secret.definition.name.toLowerCase().startsWith(value.toLowerCase())));
    const all = [...this.secrets.values()].filter(matches);
    const start = Number(optionalString(input.NextToken) ?? 0);
    const size = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
    const page = all.slice(start, start + size);
    return {
      SecretList: page.map((secret) => {
        const { VersionIdsToStages, ...summary } = this.describe(secret);
        return { ...summary, SecretVersionsToStages: VersionIdsToStages };
      }),
      ...(start + size < all.length && { NextToken: String(start + size) }),
    };
  }

  private putSecretValue(input: Record<string, unknown>) {
    const secret = this.find(requiredString(input, 'SecretId'));
    const secretString = typeof input.SecretString === 'string' ? input.SecretString : undefined;
    const secretBinary = optionalString(input.SecretBinary);
    if ((secretString === undefined) === (secretBinary === undefined))
      throw new AwsServiceError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
    const versionId = optionalString(input.ClientRequestToken) ?? randomUUID();
    const stages = Array.isArray(input.VersionStages) && input.VersionStages.length > 0 ? input.VersionStages.map(String) : [CURRENT];
    const { state } = secret;

    const existing = state.versions.find((version) => version.versionId === versionId);
    if (existing) {
      // A retried request: the same token with the same value is the same version.
      if (existing.secretString !== secretString || existing.secretBinary !== secretBinary)
        throw new AwsServiceError('ResourceExistsException', 'A resource with the ID you requested already exists.');
      return { ARN: secret.definition.arn, Name: secret.definition.name, VersionId: existing.versionId, VersionStages: [...existing.stages] };
    }

    const now = this.now();
    if (stages.includes(CURRENT)) {
      // The version that was current becomes the previous one; the one before loses that label.
      for (const version of state.versions) version.stages.splice(0, version.stages.length, ...version.stages.filter((label) => label !== PREVIOUS));
      for (const version of state.versions) if (version.stages.includes(CURRENT)) version.stages.push(PREVIOUS);
    }
    // A label is on one version at a time: it moves to the new one.
    for (const version of state.versions) version.stages.splice(0, version.stages.length, ...version.stages.filter((label) => !stages.includes(label)));
    state.versions.push({
      versionId,
      ...(secretString !== undefined && { secretString }),
      ...(secretBinary !== undefined && { secretBinary }),
      stages: [...stages],
      createdDate: now,
    });
    while (state.versions.length > MAX_VERSIONS) {
      const oldest = state.versions.findIndex((version) => version.stages.length === 0);
      if (oldest === -1) break;
      state.versions.splice(oldest, 1);
    }
    state.lastChangedDate = now;
    this.save();
    return { ARN: secret.definition.arn, Name: secret.definition.name, VersionId: versionId, VersionStages: [...stages] };
  }

  private save(): void {
    writeState(this.deps.stateFile, this.stored);
  }
}
