/**
 * Security, as DESIGN.md section 5 asks for it, checked from the outside: signed links refuse
 * every forgery and change nothing; the journey launch endpoint refuses unsigned callers; a full
 * demo run logs no email address or name; no IAM statement grants a wildcard action; cdk-nag is
 * clean. Generated inputs use fixed seeds, so a failure replays exactly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { runDemo } from '#cli/demo/run-demo.ts';
import { generatePopulation, malformedEntries } from '#cli/demo/population.ts';
import { createEmitter } from '#shared/events/emitter.ts';
import { signToken } from '#shared/outreach/unsubscribe-token.ts';
import { readProfile } from '#shared/profile/store.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { nagReport } from '#tests/support/nag.ts';
import { defaultStack } from '#tests/support/stack.ts';
import { CountLabels, recordCount } from './support/counts.ts';
import { findPersonalData, readLogLines, type LogLine } from './support/log-scan.ts';
import { actionsOf, isTransportGuard, policyStatements } from './support/policy-statements.ts';
import { changedItems, snapshotStore, type StoreSnapshot } from './support/store-snapshot.ts';
import { surveyForgeries, unsubscribeForgeries, type Forgery, type Genuine } from './support/token-forgeries.ts';

// Noon UTC, time standing still: token expiry is judged against this instant.
const START = Date.parse('2026-11-22T12:00:00Z');
const CUSTOMER = 'c-sec-1';
const SEED = 20261122;

let test: TestCloud;
let genuine: Genuine;
let outputs: Record<string, string>;

/** The stack's link-signing secret, read as the unsubscribe function reads it. */
async function signingSecret(cloud: TestCloud): Promise<string> {
  const [secret] = cloud.cloud.stacks[0]?.secrets ?? [];
  const client = new SecretsManagerClient({
    endpoint: cloud.cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secret?.arn }));
    if (!SecretString) throw new Error('the signing secret has no value');
    return SecretString;
  } finally {
    client.destroy();
  }
}

type LinkRequest = 'one-click' | 'preferences page' | 'save preferences' | 'unsubscribe from all';
const LINK_REQUESTS: readonly LinkRequest[] = ['one-click', 'preferences page', 'save preferences', 'unsubscribe from all'];

/** A request a mail client or a browser makes with a link's token; the form posts carry it in the body. */
function followLink(request: LinkRequest, token: string): Promise<Response> {
  const url = new URL(outputs.UnsubscribeUrl ?? '');
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  switch (request) {
    case 'one-click':
      url.searchParams.set('token', token);
      return fetch(url, form({ 'List-Unsubscribe': 'One-Click' }));
    case 'preferences page':
      url.searchParams.set('token', token);
      return fetch(url);
    case 'save preferences':
      // No topic ticked: accepted, this would unsubscribe the customer from every topic.
      return fetch(url, form({ token, action: 'save' }));
    case 'unsubscribe from all':
      return fetch(url, form({ token, action: 'unsubscribe-all' }));
  }
}

const customerItems = () => snapshotStore(test, (item) => item.pk === `CUSTOMER#${CUSTOMER}`);

/** Sends every forgery the arbitrary generates, expecting 403 each time; returns how many of each kind. */
async function expectAllRefused(
  forgeries: fc.Arbitrary<Forgery>,
  send: (token: string, index: number) => Promise<Response>,
  numRuns: number,
): Promise<Map<string, number>> {
  const kinds = new Map<string, number>();
  let index = 0;
  await fc.assert(
    fc.asyncProperty(forgeries, async (forgery) => {
      const response = await send(forgery.token, index++);
      const page = await response.text();
      expect(response.status, `${forgery.kind}: ${JSON.stringify(forgery.token)}`).toBe(403);
      expect(page).not.toContain(CUSTOMER);
      kinds.set(forgery.kind, (kinds.get(forgery.kind) ?? 0) + 1);
    }),
    { seed: SEED, numRuns },
  );
  return kinds;
}

describe('through the local cloud', () => {
  beforeAll(async () => {
    test = await startTestCloud({ speed: 0, startTime: START });
    [outputs = {}] = Object.values(test.cloud.outputs);
    const emitter = createEmitter({
      client: test.eventBridge,
      eventBusName: test.busName,
      source: 'com.example.web',
      clock: () => new Date(test.cloud.clock.now()),
    });
    await emitter.emit([
      {
        detailType: 'lead.captured',
        detail: {
          customer: { id: CUSTOMER, email: 'sec.one@example.com', name: 'Sec One', timezone: 'UTC' },
          data: { channel: 'signup-form', consent: { email: true, topics: ['newsletter', 'offers'] } },
        },
      },
    ]);
    await eventually(() => readProfile({ ddb: test.ddb, tableName: test.tableName }, CUSTOMER), 'the profile');
    await test.cloud.settle();
    genuine = { customerId: CUSTOMER, secret: await signingSecret(test), nowSeconds: Math.floor(test.cloud.clock.now() / 1000) };
  });

  afterAll(async () => {
    await test.stop();
  });

  describe('signed links', () => {
    let before: StoreSnapshot;
    let refused = 0;

    beforeAll(async () => {
      before = await customerItems();
    });

    it('opens the preference page for a genuine token (the forgeries below are refused by the signature, not by a broken endpoint)', async () => {
      const response = await followLink(
        'preferences page',
        signToken({ customerId: CUSTOMER, topic: 'newsletter', expiresAt: genuine.nowSeconds + 3600 }, genuine.secret),
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Your email preferences');
    });

    it('refuses forged, altered and expired unsubscribe tokens with 403, however they are sent', async () => {
      const kinds = await expectAllRefused(
        unsubscribeForgeries(genuine),
        (token, index) => followLink(LINK_REQUESTS[index % LINK_REQUESTS.length] ?? 'one-click', token),
        400,
      );

      expect([...kinds.keys()].sort()).toEqual([
        'altered claims',
        'altered signature',
        'broken shape',
        'expired',
        'other purpose',
        'other version',
        'random parts',
        'random text',
        'survey token',
        'wrong secret',
      ]);
      refused += [...kinds.values()].reduce((sum, n) => sum + n, 0);
    });

    it('refuses forged, altered and expired survey tokens with 403', async () => {
      const kinds = await expectAllRefused(
        surveyForgeries(genuine),
        (token, index) => fetch(`${outputs.UnsubscribeUrl ?? ''}survey?${new URLSearchParams({ token, score: String(1 + (index % 5)) })}`),
        150,
      );

      expect(kinds.size).toBeGreaterThanOrEqual(6);
      refused += [...kinds.values()].reduce((sum, n) => sum + n, 0);
    });

    it('changed nothing about the customer: consent, profile, timeline', async () => {
      const after = await customerItems();
      expect(after.size).toBeGreaterThan(0);
      expect(changedItems(before, after)).toEqual([]);
      recordCount(CountLabels.ForgedTokensRefused, refused);
    });

    it('would have shown a change: the genuine one-click link unsubscribes', async () => {
      const response = await followLink(
        'one-click',
        signToken({ customerId: CUSTOMER, topic: 'newsletter', expiresAt: genuine.nowSeconds + 3600 }, genuine.secret),
      );
      expect(response.status).toBe(200);
      expect(changedItems(before, await customerItems())).not.toEqual([]);
    });
  });

  describe('the journey launch endpoint', () => {
    /** The API function's invocations: a refused request never reaches it, so nothing can start. */
    const launcherCalls = async () =>
      Object.entries(test.cloud.usage().lambda)
        .filter(([name]) => name.includes('JourneysApi'))
        .reduce((sum, [, usage]) => sum + usage.requests, 0);

    it('is authorised by IAM in the template, and no resource policy opens it to everyone', () => {
      const template = defaultStack().template.toJSON() as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
        Outputs: Record<string, { Value: unknown }>;
      };
      const [urlId] = ((template.Outputs.LaunchUrl?.Value ?? { 'Fn::GetAtt': ['', ''] }) as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      const url = template.Resources[urlId];
      expect(url).toMatchObject({ Type: 'AWS::Lambda::Url', Properties: { AuthType: 'AWS_IAM' } });
      const api = JSON.stringify(url?.Properties.TargetFunctionArn);
      const permissions = Object.values(template.Resources).filter(
        (resource) => resource.Type === 'AWS::Lambda::Permission' && JSON.stringify(resource.Properties.FunctionName) === api,
      );
      for (const permission of permissions) expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
    });

    it('refuses every request that is not signed with SigV4, and launches nothing', async () => {
      const before = await launcherCalls();
      const launchPath = fc.oneof(
        fc.constantFrom('journeys/win-back/launches', 'journeys/welcome-series/launches/', 'journeys/win-back/launches?dryRun=true'),
        // No dot segments: the client would resolve them away from the function URL altogether.
        fc.stringMatching(/^[a-z0-9/._-]{0,60}$/).filter((path) => !/(^|\/)\.{1,2}(\/|$)/.test(path)),
      );
      const authorization = fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(
          '',
          'Bearer eyJhbGciOiJub25lIn0.e30.',
          'Basic YWRtaW46YWRtaW4=',
          'AWS4-HMAC-SHA1 Credential=x',
          'aws4-hmac-sha256 Credential=x',
          'AWS AKIDEXAMPLE:signature',
          'AWS4-HMAC-SHA256',
        ),
        fc.string({ maxLength: 80 }).filter((value) => !value.startsWith('AWS4-HMAC-SHA256 ') && !/[\r\n\0]/.test(value)),
      );
      const body = fc.oneof(
        fc.constant(JSON.stringify({ launchId: 'unsigned-1', customerIds: [CUSTOMER] })),
        fc.constant(JSON.stringify({ launchId: 'unsigned-2', segment: 'at-risk' })),
        fc.json({ maxDepth: 2 }),
      );
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH'), launchPath, authorization, body, async (method, path, auth, text) => {
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(auth !== undefined && { authorization: auth }) };
          // A session token or a presigned query alone is not a signature either.
          if (refused % 3 === 1) headers['x-amz-security-token'] = 'FwoGZXIvYXdzEXAMPLE';
          const query = refused % 3 === 2 ? `${path.includes('?') ? '&' : '?'}X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00` : '';
          const response = await fetch(`${outputs.LaunchUrl ?? ''}${path}${query}`, { method, headers, ...(method !== 'GET' && { body: text }) });
          await response.body?.cancel();
          expect(response.status, `${method} ${path} (${String(auth)})`).toBe(403);
          refused++;
        }),
        { seed: SEED, numRuns: 150 },
      );

      await test.cloud.settle();
      expect(await launcherCalls()).toBe(before);
      // The endpoint is there: the same launch, signed (the local cloud checks the scheme), is answered.
      const signed = await fetch(`${outputs.LaunchUrl ?? ''}journeys/win-back/launches`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20261122/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: JSON.stringify({ launchId: 'signed-dry-run', customerIds: [CUSTOMER], dryRun: true }),
      });
      expect(signed.status).toBe(200);
      recordCount(CountLabels.UnsignedRequestsRefused, refused);
    });
  });
});

describe('personal data in logs (a full demo run)', () => {
  const DEMO = { customers: 40, seed: 3 };
  let logDir: string;
  let lines: LogLine[];

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'demo-logs-'));
    const cloud = await startTestCloud({ logDir });
    try {
      await runDemo(cloud.cloud, { ...DEMO, progress: false, journeys: (await loadDefinitions()).journeys });
    } finally {
      // Stopping flushes the activity log and closes the function logs.
      await cloud.stop();
    }
    lines = readLogLines(logDir);
  });

  afterAll(async () => {
    await rm(logDir, { recursive: true, force: true });
  });

  it('logs no email address and no name of anyone the demo sent events about', () => {
    const known = demoPersonalData(DEMO);
    expect(known.emails.length).toBeGreaterThanOrEqual(DEMO.customers / 2);
    // Every function logged something, and the activity log has a line per execution and delivery.
    expect(new Set(lines.map((line) => line.file.split('/')[0])).size).toBeGreaterThan(1);
    expect(lines.length).toBeGreaterThan(1_000);

    // The scan finds what it looks for: a known address, a known name, any email-shaped text.
    const control = { file: 'control', number: 1, text: `{"to":"${known.emails[0] ?? ''}","name":"${known.names[0] ?? ''}","cc":"someone@else.example"}` };
    expect(findPersonalData([control], [...known.emails, ...known.names]).map((finding) => finding.found)).toHaveLength(4);

    const findings = findPersonalData(lines, [...known.emails, ...known.names]);

    expect(findings.map(({ line, found }) => `${line.file}:${line.number}: ${found}`)).toEqual([]);
    recordCount(CountLabels.LogLinesScanned, lines.length);
  });
});

/** The email addresses and names in the demo's events, the malformed ones included. */
function demoPersonalData(options: { customers: number; seed: number }): { emails: string[]; names: string[] } {
  const customers = [
    ...generatePopulation({ ...options, now: START }).events.map((event) => event.detail.customer as { email?: string; name?: string }),
    ...malformedEntries(20, options.seed).map((entry) => (JSON.parse(entry.Detail) as { customer?: { email?: string; name?: string } }).customer ?? {}),
  ];
  const values = (pick: (customer: { email?: string; name?: string }) => string | undefined) => [
    ...new Set(customers.map(pick).filter((value): value is string => value !== undefined)),
  ];
  // A header-injection address is logged, if at all, up to its line break.
  return { emails: values((customer) => customer.email?.split(/[\r\n]/)[0]), names: values((customer) => customer.name) };
}

describe('IAM policies in the synthesized template', () => {
  it('grant no wildcard action; a wildcard appears only in the deny-plain-HTTP guards', () => {
    const statements = policyStatements(defaultStack().template.toJSON() as { Resources: Record<string, unknown> });
    expect(statements.length).toBeGreaterThan(50);

    for (const { where, statement } of statements) {
      const actions = actionsOf(statement);
      expect(actions.length, where).toBeGreaterThan(0);
      // Literal strings only: an intrinsic could hide a wildcard from this check.
      for (const action of actions) expect(typeof action, `${where}: ${JSON.stringify(action)}`).toBe('string');
      if (statement.Effect === 'Allow') {
        expect(statement.NotAction, `${where} allows everything but a list`).toBeUndefined();
        expect(
          actions.filter((action) => String(action).includes('*')),
          where,
        ).toEqual([]);
      } else if (actions.some((action) => String(action).includes('*'))) {
        expect(isTransportGuard(statement), `${where}: ${JSON.stringify(statement)}`).toBe(true);
      }
    }
    recordCount(CountLabels.PolicyStatementsChecked, statements.length);
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the AwsSolutions and Serverless packs', () => {
    const { report, error } = nagReport();

    expect(error).toBeUndefined();
    expect(report.pluginReports.map((plugin) => plugin.pluginName).sort()).toEqual(['AwsSolutions', 'Serverless']);
    for (const plugin of report.pluginReports) {
      expect(
        plugin.violations.map((violation) => violation.ruleName),
        plugin.pluginName,
      ).toEqual([]);
      expect(plugin.conclusion, plugin.pluginName).toBe('success');
    }
  });
});
