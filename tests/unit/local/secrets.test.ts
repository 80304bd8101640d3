import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { createEdgeServer, listen } from '#local/edge/edge-server.ts';
import { generatePassword, generateSecretString } from '#local/secretsmanager/generate-password.ts';
import { SecretsService, type SecretDefinition } from '#local/secretsmanager/secrets-service.ts';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const NOW = Date.parse('2026-11-22T12:00:00Z');

const secret = (name: string, settings: Partial<SecretDefinition> = {}): SecretDefinition => ({
  name,
  arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`,
  ...settings,
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A service behind the edge, and an SDK client that talks to it. */
async function start(definitions: SecretDefinition[], stateFile?: string) {
  const service = new SecretsService({ ...(stateFile && { stateFile }), now: () => NOW });
  for (const definition of definitions) service.add(definition);
  const server: Server = createEdgeServer({ jsonServices: [{ targetPrefix: 'secretsmanager', handle: service.handle }] });
  const port = await listen(server, 0);
  const client = new SecretsManagerClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(
    () => client.destroy(),
    () => new Promise<void>((resolve) => server.close(() => resolve())),
  );
  return { service, client };
}

/** A random source that counts up: the same "random" bytes every run. */
function countingRandom() {
  let next = 0;
  return (bytes: number) => Buffer.from(Array.from({ length: bytes }, () => next++ % 256));
}

describe('Secrets Manager: reading secrets', () => {
  it('returns the current value by name or by ARN', async () => {
    const definition = secret('lifecycle/webhook', { secretString: 's3cret' });
    const { client } = await start([definition]);
    for (const id of [definition.name, definition.arn]) {
      const value = await client.send(new GetSecretValueCommand({ SecretId: id }));
      expect(value).toMatchObject({
        Name: 'lifecycle/webhook',
        ARN: definition.arn,
        SecretString: 's3cret',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: new Date(NOW),
      });
      expect(value.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('finds a secret by its ARN without the suffix AWS adds', async () => {
    const definition = secret('signing-key', { secretString: 'k', arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:signing-key-AbCdEf` });
    const { client } = await start([definition]);
    const value = await client.send(new GetSecretValueCommand({ SecretId: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:signing-key` }));
    expect(value.SecretString).toBe('k');
  });

  it('answers an unknown secret with ResourceNotFoundException', async () => {
    const { client } = await start([]);
    const error = await client.send(new GetSecretValueCommand({ SecretId: 'missing' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe("Secrets Manager can't find the specified secret.");
  });

  it('generates a value into the JSON template under the key', async () => {
    const generate = {
      SecretStringTemplate: '{"username":"lifecycle"}',
      GenerateStringKey: 'password',
      PasswordLength: 40,
      ExcludePunctuation: true,
      ExcludeCharacters: 'aeiou',
    };
    const { client } = await start([secret('database', { generate })]);
    const value = JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: 'database' }))).SecretString ?? '{}') as {
      username: string;
      password: string;
    };
    expect(value.username).toBe('lifecycle');
    expect(value.password).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(value.password).not.toMatch(/[aeiou]/);
  });

  it('describes and lists secrets with their version stages', async () => {
    const { client } = await start([
      secret('lifecycle/a', { secretString: 'a' }),
      secret('lifecycle/b', { secretString: 'b' }),
      secret('other', { secretString: 'c' }),
    ]);
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'lifecycle/a' }));
    expect(described).toMatchObject({ Name: 'lifecycle/a', CreatedDate: new Date(NOW), LastChangedDate: new Date(NOW) });
    expect(Object.values(described.VersionIdsToStages ?? {})).toEqual([['AWSCURRENT']]);

    const listed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['lifecycle/'] }] }));
    expect(listed.SecretList?.map((entry) => entry.Name)).toEqual(['lifecycle/a', 'lifecycle/b']);
    expect(Object.values(listed.SecretList?.[0]?.SecretVersionsToStages ?? {})).toEqual([['AWSCURRENT']]);

    const firstPage = await client.send(new ListSecretsCommand({ MaxResults: 2 }));
    const secondPage = await client.send(new ListSecretsCommand({ MaxResults: 2, NextToken: firstPage.NextToken }));
    expect([...(firstPage.SecretList ?? []), ...(secondPage.SecretList ?? [])].map((entry) => entry.Name)).toEqual(['lifecycle/a', 'lifecycle/b', 'other']);
    expect(secondPage.NextToken).toBeUndefined();
  });
});

describe('Secrets Manager: rotating a secret', () => {
  it('makes a new value current and keeps the old one as AWSPREVIOUS', async () => {
    const { client } = await start([secret('signing-key', { secretString: 'first' })]);
    const first = await client.send(new GetSecretValueCommand({ SecretId: 'signing-key' }));
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'signing-key', SecretString: 'second' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);

    const current = await client.send(new GetSecretValueCommand({ SecretId: 'signing-key' }));
    const previous = await client.send(new GetSecretValueCommand({ SecretId: 'signing-key', VersionStage: 'AWSPREVIOUS' }));
    expect([current.SecretString, current.VersionId]).toEqual(['second', put.VersionId]);
    expect([previous.SecretString, previous.VersionId, previous.VersionStages]).toEqual(['first', first.VersionId, ['AWSPREVIOUS']]);

    // A third value: the first version keeps no label, but is still there by its id.
    await client.send(new PutSecretValueCommand({ SecretId: 'signing-key', SecretString: 'third' }));
    const stages = (await client.send(new DescribeSecretCommand({ SecretId: 'signing-key' }))).VersionIdsToStages ?? {};
    expect(Object.values(stages)).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
    expect(stages[put.VersionId ?? '']).toEqual(['AWSPREVIOUS']);
    const oldest = await client.send(new GetSecretValueCommand({ SecretId: 'signing-key', VersionId: first.VersionId }));
    expect([oldest.SecretString, oldest.VersionStages]).toEqual(['first', []]);
  });

  it('treats a retried PutSecretValue as the same version, and a reused token with another value as a conflict', async () => {
    const { client } = await start([secret('signing-key', { secretString: 'first' })]);
    const token = '11111111-2222-3333-4444-555555555555';
    const once = await client.send(new PutSecretValueCommand({ SecretId: 'signing-key', SecretString: 'second', ClientRequestToken: token }));
    const again = await client.send(new PutSecretValueCommand({ SecretId: 'signing-key', SecretString: 'second', ClientRequestToken: token }));
    expect(again.VersionId).toBe(once.VersionId);
    const previous = await client.send(new GetSecretValueCommand({ SecretId: 'signing-key', VersionStage: 'AWSPREVIOUS' }));
    expect(previous.SecretString).toBe('first');
    await expect(client.send(new PutSecretValueCommand({ SecretId: 'signing-key', SecretString: 'other', ClientRequestToken: token }))).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
  });

  it('answers an unknown stage with ResourceNotFoundException', async () => {
    const { client } = await start([secret('signing-key', { secretString: 'first' })]);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'signing-key', VersionStage: 'AWSPREVIOUS' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    });
  });
});

describe('Secrets Manager: values between runs', () => {
  it('keeps generated and rotated values in the state file', async () => {
    const stateFile = join(temporaryDirectory(), 'data', 'secrets.json');
    const definitions = [secret('signing-key', { generate: { PasswordLength: 64 } }), secret('api', { generate: { ExcludePunctuation: true } })];
    const firstRun = await start(definitions, stateFile);
    const generated = (await firstRun.client.send(new GetSecretValueCommand({ SecretId: 'api' }))).SecretString;
    await firstRun.client.send(new PutSecretValueCommand({ SecretId: 'signing-key', SecretString: 'rotated' }));
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const secondRun = await start(definitions, stateFile);
    expect((await secondRun.client.send(new GetSecretValueCommand({ SecretId: 'api' }))).SecretString).toBe(generated);
    expect((await secondRun.client.send(new GetSecretValueCommand({ SecretId: 'signing-key' }))).SecretString).toBe('rotated');
  });

  it('makes a new value when the definition changes', async () => {
    const stateFile = join(temporaryDirectory(), 'secrets.json');
    const firstRun = await start([secret('api', { generate: { PasswordLength: 20 } })], stateFile);
    const before = (await firstRun.client.send(new GetSecretValueCommand({ SecretId: 'api' }))).SecretString;
    const secondRun = await start([secret('api', { generate: { PasswordLength: 24 } })], stateFile);
    const after = (await secondRun.client.send(new GetSecretValueCommand({ SecretId: 'api' }))).SecretString;
    expect([before?.length, after?.length]).toEqual([20, 24]);
  });
});

describe('generating secret values', () => {
  it('makes 32 characters of every kind by default', () => {
    const password = generatePassword({}, countingRandom());
    expect(password).toHaveLength(32);
    for (const kind of [/[a-z]/, /[A-Z]/, /[0-9]/, /[!-/:-@[-`{-~]/]) expect(password).toMatch(kind);
    expect(password).not.toContain(' ');
  });

  it('is the same for the same random bytes', () => {
    expect(generatePassword({ PasswordLength: 16 }, countingRandom())).toBe(generatePassword({ PasswordLength: 16 }, countingRandom()));
  });

  it('honours the exclusions and IncludeSpace', () => {
    const random = countingRandom();
    expect(generatePassword({ PasswordLength: 200, ExcludeUppercase: true, ExcludeLowercase: true, ExcludePunctuation: true }, random)).toMatch(/^[0-9]{200}$/);
    expect(generatePassword({ PasswordLength: 200, ExcludeNumbers: true, ExcludePunctuation: true, ExcludeCharacters: 'xyzXYZ' }, random)).toMatch(
      /^[a-wA-W]{200}$/,
    );
    expect(generatePassword({ PasswordLength: 400, ExcludePunctuation: true, IncludeSpace: true }, random)).toContain(' ');
  });

  it('refuses impossible settings', () => {
    const random = countingRandom();
    expect(() => generatePassword({ PasswordLength: 0 }, random)).toThrow('PasswordLength');
    expect(() => generatePassword({ PasswordLength: 3 }, random)).toThrow('one of each');
    expect(() => generatePassword({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true }, random)).toThrow(
      'no characters',
    );
    expect(() => generateSecretString({ GenerateStringKey: 'password' }, random)).toThrow('go together');
    expect(() => generateSecretString({ SecretStringTemplate: '[1]', GenerateStringKey: 'password' }, random)).toThrow('JSON object');
  });

  it('allows a short password when each type need not be included', () => {
    expect(generatePassword({ PasswordLength: 2, RequireEachIncludedType: false }, countingRandom())).toHaveLength(2);
  });
});
