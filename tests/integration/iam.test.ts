import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryActivityLog } from '#local/activity-log.ts';
import type { IamMode } from '#local/iam/authorizer.ts';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { localFunctionUrl } from '#local/lambda/function-url.ts';
import { startLocalCloud, type LocalCloud } from '#local/local-cloud.ts';
import { Grants, IamNames, iamTemplate, withoutGrants, writeAssembly } from '#tests/fixtures/iam/iam-stack.ts';
import { eventually } from '#tests/support/local-cloud.ts';

const STACK = 'IamTest';
const ALL_GRANTS = Object.values(Grants);

/** A local cloud running the IAM stack (or a copy without some grants), with admin clients. */
async function start(options: { without?: readonly string[]; iam?: IamMode } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'iam-test-'));
  writeAssembly(directory, STACK, withoutGrants(iamTemplate(directory), options.without ?? []));
  const log = new MemoryActivityLog();
  const cloud: LocalCloud = await startLocalCloud({
    assemblyDir: directory,
    port: 0,
    sesPort: 0,
    timeoutScale: 30,
    log,
    ...(options.iam && { iam: options.iam }),
  });
  // Credentials the local cloud did not issue: the account's administrator.
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const clients = { lambda: new LambdaClient(config), sqs: new SQSClient(config), sfn: new SFNClient(config), events: new EventBridgeClient(config) };
  const queueUrl = (name: string) => `${cloud.endpoint}/000000000000/${name}`;
  return {
    cloud,
    log,
    queueUrl,
    /** What the function's own SDK call, signed with its role's credentials, came to. */
    async callAsFunction<T = { ok: boolean; name?: string; message?: string }>(event: Record<string, unknown>): Promise<T> {
      const answer = await clients.lambda.send(new InvokeCommand({ FunctionName: IamNames.Caller, Payload: JSON.stringify(event) }));
      return JSON.parse(new TextDecoder().decode(answer.Payload)) as T;
    },
    async bodies(queue: string): Promise<string[]> {
      const answer = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(queue), MaxNumberOfMessages: 10 }));
      return (answer.Messages ?? []).map((message) => message.Body ?? '');
    },
    async runMachine(): Promise<{ status?: string; error?: string }> {
      const { executionArn } = await clients.sfn.send(
        new StartExecutionCommand({ stateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:${IamNames.Machine}`, input: '{}' }),
      );
      return eventually(async () => {
        const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
        return execution.status === 'RUNNING' ? undefined : { status: execution.status, error: execution.error };
      }, 'the execution to end');
    },
    async putEvent(): Promise<void> {
      const answer = await clients.events.send(new PutEventsCommand({ Entries: [{ Source: IamNames.Source, DetailType: 'probe', Detail: '{}' }] }));
      expect(answer.FailedEntryCount).toBe(0);
      await cloud.settle();
    },
    denials: () => log.activities.filter((activity) => activity.what === 'iam.denied'),
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      await cloud.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

type Running = Awaited<ReturnType<typeof start>>;

describe('IAM in the local cloud', () => {
  let granted: Running;
  let withoutGrants: Running;
  beforeAll(async () => {
    [granted, withoutGrants] = await Promise.all([start(), start({ without: ALL_GRANTS })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([granted?.stop(), withoutGrants?.stop()]);
  });

  describe("a function's role", () => {
    it('lets the function send where its policy allows it', async () => {
      const result = await granted.callAsFunction({ call: 'send', queueUrl: granted.queueUrl(IamNames.Granted), body: 'granted' });

      expect(result).toEqual({ ok: true });
      expect(await granted.bodies(IamNames.Granted)).toEqual(['granted']);
    });

    it('refuses the same call with AccessDeniedException once the grant is gone, naming action, resource and role', async () => {
      const result = await withoutGrants.callAsFunction({ call: 'send', queueUrl: withoutGrants.queueUrl(IamNames.Granted), body: 'refused' });

      expect(result.ok).toBe(false);
      expect(result.name).toBe('AccessDeniedException');
      expect(result.message).toMatch(
        /^User: arn:aws:sts::000000000000:assumed-role\/IamTest-CallerRole\/iam-caller is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:000000000000:iam-granted because no identity-based policy allows/,
      );
      expect(await withoutGrants.bodies(IamNames.Granted)).toEqual([]);
      // The log says what was missing, and which statement came closest.
      expect(withoutGrants.denials().map((denial) => denial.detail)).toContainEqual(
        'no statement allows sqs:SendMessage on arn:aws:sqs:us-east-1:000000000000:iam-granted; closest: CallerRolePolicy statement AnythingOnDenied (resource does not match)',
      );
    });

    it('refuses a call an explicit deny covers, although another statement allows it', async () => {
      const result = await granted.callAsFunction({ call: 'send', queueUrl: granted.queueUrl(IamNames.Denied), body: 'denied' });

      expect(result.name).toBe('AccessDeniedException');
      expect(result.message).toMatch(/with an explicit deny in an identity-based policy$/);
      expect(await granted.bodies(IamNames.Denied)).toEqual([]);
    });

    it('allows a write to the partition its dynamodb:LeadingKeys condition names, and refuses another', async () => {
      const own = await granted.callAsFunction({ call: 'put', table: IamNames.Table, key: 'TENANT#a-1' });
      const other = await granted.callAsFunction({ call: 'put', table: IamNames.Table, key: 'TENANT#b-1' });

      expect(own).toEqual({ ok: true });
      expect(other.name).toBe('AccessDeniedException');
      expect(other.message).toContain('dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/iam-items');
    });
  });

  describe("a state machine's role", () => {
    it("lets a task's service integration call where the role allows it", async () => {
      expect(await granted.runMachine()).toEqual({ status: 'SUCCEEDED', error: undefined });
      expect(await granted.bodies(IamNames.MachineOut)).toEqual(['from the machine']);
    });

    it('fails the task with the service error once the grant is gone', async () => {
      expect(await withoutGrants.runMachine()).toEqual({ status: 'FAILED', error: 'SQS.AccessDeniedException' });
      expect(await withoutGrants.bodies(IamNames.MachineOut)).toEqual([]);
    });
  });

  describe("a schedule's role", () => {
    it('sends the target its input where the role allows it, and nothing once the grant is gone', async () => {
      for (const running of [granted, withoutGrants]) {
        running.cloud.clock.advance(3_600_000);
        await running.cloud.settle();
      }

      expect(await granted.bodies(IamNames.ScheduleOut)).toEqual(['"tick"']);
      expect(await withoutGrants.bodies(IamNames.ScheduleOut)).toEqual([]);
      expect(withoutGrants.denials().map((denial) => denial.resource)).toContain('IamTest-ScheduleRole');
    });
  });

  describe("EventBridge delivering for a rule, under the target's resource policy", () => {
    it('delivers where the queue policy allows the rule, and not once that statement is gone', async () => {
      await granted.putEvent();
      await withoutGrants.putEvent();

      expect(await granted.bodies(IamNames.Heard)).toHaveLength(1);
      expect(await withoutGrants.bodies(IamNames.Heard)).toEqual([]);
      expect(withoutGrants.denials().map((denial) => denial.resource)).toContain('events.amazonaws.com');
    });
  });
});

describe('function URLs', () => {
  let granted: Running;
  let withoutGrants: Running;
  beforeAll(async () => {
    [granted, withoutGrants] = await Promise.all([start(), start({ without: [Grants.UrlInvokes] })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([granted?.stop(), withoutGrants?.stop()]);
  });
  const url = (running: Running, name: string) => localFunctionUrl(running.cloud.endpoint, name);
  const callUrl = (running: Running, name: string, tamper?: string) =>
    running.callAsFunction<{ status: number; errorType?: string; body: Record<string, unknown> }>({
      call: 'url',
      url: url(running, name),
      ...(tamper && { tamper }),
    });
  const forbidden = { status: 403, errorType: 'AccessDeniedException', body: { Message: 'Forbidden' } };

  it('lets a role call a URL with AWS_IAM auth, signed with its credentials, where its identity policy allows it', async () => {
    expect(await callUrl(granted, IamNames.UrlByIdentity)).toMatchObject({ status: 200, body: { reached: IamNames.UrlByIdentity, body: '{"from":"caller"}' } });
  });

  it('refuses the same signed call as Lambda does once the grant is gone, and says what was missing', async () => {
    expect(await callUrl(withoutGrants, IamNames.UrlByIdentity)).toMatchObject(forbidden);
    expect(withoutGrants.denials().map((denial) => denial.detail)).toContainEqual(
      expect.stringMatching(/^no statement allows lambda:InvokeFunctionUrl on arn:aws:lambda:us-east-1:000000000000:function:iam-url-by-identity/),
    );
  });

  it("lets the role in by the function's resource policy alone", async () => {
    expect(await callUrl(withoutGrants, IamNames.UrlByResource)).toMatchObject({ status: 200, body: { reached: IamNames.UrlByResource } });
  });

  it('refuses a signature made with the wrong secret, without the session token, long ago, or over another body', async () => {
    const mismatch = {
      status: 403,
      errorType: 'InvalidSignatureException',
      body: { message: expect.stringMatching(/^The request signature we calculated does not match the signature you provided/) },
    };

    expect(await callUrl(granted, IamNames.UrlByIdentity, 'secret')).toMatchObject(mismatch);
    expect(await callUrl(granted, IamNames.UrlByIdentity, 'body')).toMatchObject(mismatch);
    expect(await callUrl(granted, IamNames.UrlByIdentity, 'token')).toMatchObject({
      status: 403,
      errorType: 'UnrecognizedClientException',
      body: { message: 'The security token included in the request is invalid.' },
    });
    expect(await callUrl(granted, IamNames.UrlByIdentity, 'expired')).toMatchObject({
      status: 403,
      errorType: 'InvalidSignatureException',
      body: { message: expect.stringMatching(/^Signature expired: 20200101T000000Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/) },
    });
    expect(granted.log.activities.filter((activity) => activity.what === 'iam.signature')).toHaveLength(4);
  });

  it('refuses an unsigned request, and serves one signed with credentials the local cloud did not issue (the administrator)', async () => {
    const target = new URL(url(withoutGrants, IamNames.UrlByIdentity));
    const signer = new SignatureV4({ service: 'lambda', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
    const signed = await signer.sign({
      method: 'GET',
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      headers: { host: target.host },
    });

    const unsigned = await fetch(target);
    const administrator = await fetch(target, { headers: signed.headers });

    expect({ status: unsigned.status, body: await unsigned.json() }).toEqual({ status: 403, body: { Message: 'Forbidden' } });
    expect(administrator.status).toBe(200);
  });

  it('serves a URL with NONE auth to anyone its resource policy opens it to, and no one otherwise', async () => {
    const open = await fetch(url(granted, IamNames.UrlPublic));
    const unopened = await fetch(url(granted, IamNames.UrlUnopened));

    expect(open.status).toBe(200);
    expect({ status: unopened.status, body: await unopened.json() }).toEqual({ status: 403, body: { Message: 'Forbidden' } });
    expect(granted.denials()).toContainEqual(
      expect.objectContaining({
        resource: 'anonymous',
        detail: expect.stringMatching(/^no statement allows lambda:InvokeFunctionUrl on arn:aws:lambda:us-east-1:000000000000:function:iam-url-unopened/),
      }),
    );
  });
});

describe('IAM modes', () => {
  it('warn logs what AWS would refuse and refuses nothing', async () => {
    const warned = await start({ without: [Grants.FunctionSends], iam: 'warn' });
    try {
      const result = await warned.callAsFunction({ call: 'send', queueUrl: warned.queueUrl(IamNames.Granted), body: 'warned' });

      expect(result).toEqual({ ok: true });
      expect(warned.denials()).toContainEqual(expect.objectContaining({ resource: 'IamTest-CallerRole', outcome: 'would-refuse' }));
    } finally {
      await warned.stop();
    }
  });

  it('off evaluates nothing', async () => {
    const off = await start({ without: [Grants.FunctionSends], iam: 'off' });
    try {
      expect(await off.callAsFunction({ call: 'send', queueUrl: off.queueUrl(IamNames.Granted), body: 'off' })).toEqual({ ok: true });
      expect(off.denials()).toEqual([]);
    } finally {
      await off.stop();
    }
  });
});
