/**
 * Reads a secret's current and previous values from Secrets Manager, cached for a few minutes so
 * that a warm function does not call Secrets Manager on every request, yet sees a rotation soon.
 */
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { singleton } from './singleton.ts';

/** The Secrets Manager client, one per process. */
export const secretsClient = singleton(() => new SecretsManagerClient({}));

const CACHE_MS = 5 * 60_000;

export function secretReader(client: () => SecretsManagerClient, secretId: string, clock: () => number = Date.now): () => Promise<readonly string[]> {
  let cached: { values: readonly string[]; at: number } | undefined;
  return async () => {
    if (cached && clock() - cached.at < CACHE_MS) return cached.values;
    const current = await client().send(new GetSecretValueCommand({ SecretId: secretId }));
    let previous: string | undefined;
    try {
      previous = (await client().send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSPREVIOUS' }))).SecretString;
    } catch (error) {
      // A secret never rotated has no previous version.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const values = [current.SecretString, previous].filter((value): value is string => typeof value === 'string' && value.length > 0);
    cached = { values, at: clock() };
    return values;
  };
}
