/**
 * The deployed console's function, run in the local cloud from the synthesized bundle and invoked
 * through the AWS SDK's Lambda client with the event API Gateway's HTTP API sends once its Lambda
 * authorizer has admitted someone: the verdict's context carries the person's name and groups.
 * It renders pages from the demo population, and decides each action from the groups: a marketing
 * member's erasure and redrive are refused and change nothing; an operator's go through.
 * Expected values are the test's own: the repository's journey names, the customers it emitted,
 * the queue counts read with SQS before and after.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { runDemo } from '#cli/demo/run-demo.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import { readProfile } from '#shared/profile/store.ts';
import { emitAndSettle, eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

const SETUP_TIMEOUT = 300_000;
const DOMAIN = 'abc123.execute-api.us-east-1.amazonaws.com';
const CUSTOMERS = ['console-fn-a', 'console-fn-b'];

let test: TestCloud;
let lambda: LambdaClient;
let consoleFunction: string;
let sampleCustomerId: string;

interface HttpAnswer {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly cookies?: string[];
  readonly body: string;
}

interface Asker {
  readonly username: string;
  readonly groups: string;
}

const MARKETING: Asker = { username: 'mina', groups: 'marketing' };
const OPERATOR: Asker = { username: 'jun', groups: 'operators' };

/** The HTTP API's event (payload 2.0) for a request its authorizer admitted, as API Gateway builds it. */
function apiEvent(method: 'GET' | 'POST', path: string, asker: Asker | undefined, form?: Record<string, string>, headers: Record<string, string> = {}) {
  const body = form && new URLSearchParams(form).toString();
  return {
    version: '2.0',
    routeKey: path === '/' ? 'GET /' : `${method} /{proxy+}`,
    rawPath: path,
    rawQueryString: '',
    cookies: ['lang=en'],
    headers: {
      host: DOMAIN,
      'accept-language': 'en-US',
      ...(body && { 'content-type': 'application/x-www-form-urlencoded', origin: `https://${DOMAIN}` }),
      ...headers,
    },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: DOMAIN,
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: `${method} /{proxy+}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(asker && { authorizer: { lambda: asker } }),
    },
    ...(body !== undefined && { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }),
  };
}

async function ask(event: ReturnType<typeof apiEvent>): Promise<HttpAnswer> {
  const answer = await lambda.send(new InvokeCommand({ FunctionName: consoleFunction, Payload: JSON.stringify(event) }));
  const payload = JSON.parse(new TextDecoder().decode(answer.Payload)) as HttpAnswer & { errorMessage?: string };
  if (answer.FunctionError) throw new Error(`the console function failed: ${payload.errorMessage}`);
  return payload;
}

async function deadLetters(): Promise<Record<string, number>> {
  const [outputs = {}] = Object.values(test.cloud.outputs);
  const queues = JSON.parse(outputs.DeadLetterQueues ?? '{}') as Record<string, string>;
  const counts: Record<string, number> = {};
  for (const [name, url] of Object.entries(queues)) {
    const { Attributes = {} } = await test.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    counts[name] = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  }
  return counts;
}

beforeAll(async () => {
  const definitions = await loadDefinitions();
  test = await startTestCloud();
  ({ sampleCustomerId } = await runDemo(test.cloud, { customers: 8, seed: 5, progress: false, journeys: definitions.journeys }));
  await emitAndSettle(
    test,
    CUSTOMERS.map((id) => ({ detailType: 'lead.captured', detail: { customer: { id, email: `${id}@example.com` }, data: { channel: 'web' } } }) as EmitInput),
  );
  const [stack] = test.cloud.stacks;
  const pages = [...(stack?.names ?? new Map())].find(([logicalId]) => /^ConsolePages[0-9A-F]{8}$/.test(logicalId));
  consoleFunction = pages?.[1].name ?? '';
  lambda = new LambdaClient({ endpoint: test.cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}, SETUP_TIMEOUT);

afterAll(async () => {
  lambda?.destroy();
  await test?.stop();
});

describe('the deployed console function', () => {
  it('renders the journeys page from the stack it was deployed with', async () => {
    const answer = await ask(apiEvent('GET', '/journeys', MARKETING));

    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['content-type']).toContain('text/html');
    expect(answer.headers?.['strict-transport-security']).toMatch(/max-age=\d+/);
    for (const journey of (await loadDefinitions()).journeys) expect(answer.body).toContain(journey.name);
  });

  it("shows a demo customer's page to marketing", async () => {
    const answer = await ask(apiEvent('GET', `/customers/${sampleCustomerId}`, MARKETING));

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain(sampleCustomerId);
  });

  it.each([
    '/journeys/win-back',
    '/journeys/win-back/launch',
    '/segments',
    '/segments/at-risk',
    '/templates',
    '/templates/win-back-offer',
    '/reports',
    '/operations',
  ])('opens %s for marketing with the grants the stack gives it', async (path) => {
    const answer = await ask(apiEvent('GET', path, MARKETING));

    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
  });

  it('lets marketing dry-run and launch a journey on a list of customers, through the stack’s launcher', async () => {
    const form = { audience: 'customers', csv: CUSTOMERS.join('\n'), launchId: 'console-fn-launch-1' };

    const dryRun = await ask(apiEvent('POST', '/journeys/win-back/launch', MARKETING, { ...form, action: 'dry-run' }));
    expect(dryRun.statusCode).toBe(200);
    expect(dryRun.body).toMatch(/data-field="would-enter">\d+</);

    const launched = await ask(apiEvent('POST', '/journeys/win-back/launch', MARKETING, { ...form, action: 'launch' }));
    expect(launched.statusCode).toBe(303);
    expect(launched.headers?.location).toBe('/journeys/win-back/launches/console-fn-launch-1');
    const progress = await ask(apiEvent('GET', '/journeys/win-back/launches/console-fn-launch-1', MARKETING));
    expect(progress.statusCode).toBe(200);
    expect(progress.body).toContain('data-field="participants"');
  });

  it('refuses an event that carries no authorizer verdict', async () => {
    const answer = await ask(apiEvent('GET', '/journeys', undefined));

    expect(answer.statusCode).toBe(401);
    expect(answer.body).not.toContain('<html');
  });

  it("refuses marketing's erasure with 403, and the customer stays", async () => {
    const [customerId = ''] = CUSTOMERS;

    const answer = await ask(apiEvent('POST', `/customers/${customerId}/erase`, MARKETING, { confirm: customerId, requestId: 'marketing-try-1' }));
    await test.cloud.settle();

    expect(answer.statusCode).toBe(403);
    expect(answer.body).toContain('data-field="forbidden"');
    const profile = await readProfile({ ddb: test.ddb, tableName: test.tableName }, customerId);
    expect(profile?.erasure).toBeUndefined();
    expect(profile?.email).toBe(`${customerId}@example.com`);
  });

  it("refuses marketing's redrive with 403, and the dead letters stay", async () => {
    const before = await deadLetters();
    expect(Object.values(before).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);

    const answer = await ask(apiEvent('POST', '/operations/redrive', MARKETING, { action: 'redrive' }));
    await test.cloud.settle();

    expect(answer.statusCode).toBe(403);
    expect(await deadLetters()).toEqual(before);
  });

  it("refuses a form posted from another site, whoever's session it carries", async () => {
    const answer = await ask(apiEvent('POST', '/operations/redrive', OPERATOR, { action: 'dry-run' }, { origin: 'https://evil.example' }));

    expect(answer.statusCode).toBe(403);
  });

  it("runs an operator's redrive dry run and changes nothing", async () => {
    const before = await deadLetters();

    const answer = await ask(apiEvent('POST', '/operations/redrive', OPERATOR, { action: 'dry-run' }));
    await test.cloud.settle();

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('data-redriven=');
    expect(await deadLetters()).toEqual(before);
  });

  it("erases a customer at an operator's request, through the stack's API", async () => {
    const customerId = CUSTOMERS[1] ?? '';

    const answer = await ask(apiEvent('POST', `/customers/${customerId}/erase`, OPERATOR, { confirm: customerId, requestId: 'operator-erasure-1' }));

    expect(answer.statusCode).toBe(303);
    const erasure = await eventually(async () => (await readProfile({ ddb: test.ddb, tableName: test.tableName }, customerId))?.erasure, 'the tombstone');
    expect(erasure.requestId).toBe('operator-erasure-1');
  });
});
