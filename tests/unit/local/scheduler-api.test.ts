import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
  type ListSchedulesCommandInput,
} from '@aws-sdk/client-scheduler';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryActivityLog } from '#local/activity-log.ts';
import { AwsServiceError } from '#local/aws-error.ts';
import { VirtualClock } from '#local/clock.ts';
import { SchedulerApi } from '#local/scheduler-api/scheduler-api.ts';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const START = Date.parse('2026-11-22T12:00:00Z');
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:send-outreach`;
const DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:scheduler-dlq`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/scheduler`;

interface Sent {
  readonly arn: string;
  readonly input: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly at: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Lets the invocations the clock started run to their end (they hand over on promises). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The API behind a small HTTP server, as the edge will serve it, with a frozen clock and a target
 * that records what it is sent and fails when `failing` says so.
 */
async function start(failing: (arn: string) => boolean = () => false) {
  const clock = new VirtualClock({ start: START, speed: 0 });
  const log = new MemoryActivityLog();
  const sent: Sent[] = [];
  const api = new SchedulerApi({
    clock,
    log,
    region: REGION,
    accountId: ACCOUNT,
    send: async (arn, input, _roleArn, attributes) => {
      sent.push({ arn, input, ...(attributes && { attributes }), at: new Date(clock.now()).toISOString() });
      if (failing(arn)) throw new AwsServiceError('TooManyRequestsException', 'Rate exceeded');
    },
  });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void api.handle({ method: req.method ?? 'GET', url: req.url ?? '/', body: Buffer.concat(chunks) }).then((answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new SchedulerClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(
    () => api.close(),
    () => client.destroy(),
    () => new Promise<void>((resolve) => server.close(() => resolve())),
  );
  /** Moves the clock to an instant, letting each firing and retry run on the way. */
  const advanceTo = async (iso: string, step = 60_000) => {
    const target = Date.parse(iso);
    while (clock.now() < target) {
      clock.advance(Math.min(step, target - clock.now()));
      await settle();
    }
  };
  return { clock, log, sent, api, client, advanceTo };
}

/** A one-time schedule as the outreach function would create it. */
function oneTime(name: string, settings: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    ScheduleExpression: 'at(2026-11-23T08:00:00)',
    ScheduleExpressionTimezone: 'Europe/Berlin',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: FUNCTION_ARN, RoleArn: ROLE_ARN, Input: '{"profileId":"p-1"}' },
    ActionAfterCompletion: 'DELETE',
    ...settings,
  };
}

describe('Scheduler API: one-time schedules', () => {
  it('fires at the time in its time zone, then deletes the schedule', async () => {
    const { client, api, sent, advanceTo, log } = await start();
    const created = await client.send(new CreateScheduleCommand(oneTime('defer-p-1')));
    expect(created.ScheduleArn).toBe(`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/defer-p-1`);
    // 08:00 in Berlin is 07:00 UTC in November.
    expect(api.list()).toEqual([
      { name: 'defer-p-1', groupName: 'default', expression: 'at(2026-11-23T08:00:00)', nextFire: Date.parse('2026-11-23T07:00:00Z') },
    ]);

    await advanceTo('2026-11-23T06:59:59Z');
    expect(sent).toEqual([]);
    await advanceTo('2026-11-23T07:00:00Z');
    expect(sent).toEqual([{ arn: FUNCTION_ARN, input: '{"profileId":"p-1"}', at: '2026-11-23T07:00:00.000Z' }]);

    expect(api.list()).toEqual([]);
    await expect(client.send(new GetScheduleCommand({ Name: 'defer-p-1' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(log.activities.map((activity) => [activity.what, activity.outcome])).toEqual([
      ['scheduler.schedule', 'created'],
      ['scheduler.fire', 'fired'],
      ['scheduler.delivery', 'ok'],
      ['scheduler.schedule', 'deleted after completion'],
    ]);
  });

  it('keeps a completed schedule whose ActionAfterCompletion is NONE', async () => {
    const { client, sent, advanceTo } = await start();
    await client.send(new CreateScheduleCommand(oneTime('keep', { ActionAfterCompletion: 'NONE' })));
    await advanceTo('2026-11-23T08:00:00Z');
    expect(sent).toHaveLength(1);
    expect((await client.send(new GetScheduleCommand({ Name: 'keep' }))).Name).toBe('keep');
  });

  it('fires a one-time schedule written a moment in the past at once', async () => {
    const { client, sent, advanceTo } = await start();
    // 11:59:30 UTC, half a minute before the clock's 12:00.
    await client.send(new CreateScheduleCommand(oneTime('late', { ScheduleExpression: 'at(2026-11-22T11:59:30)', ScheduleExpressionTimezone: 'UTC' })));
    // As Scheduler does: when it is created, while the clock stands still, not when it next moves.
    await vi.waitUntil(() => sent.length > 0);
    await advanceTo('2026-11-22T12:00:01Z', 1_000);
    expect(sent.map((entry) => entry.at)).toEqual(['2026-11-22T12:00:00.000Z']);
  });

  it("fills in Scheduler's context attributes in the input", async () => {
    const { client, sent, advanceTo } = await start();
    const input = '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","attempt":"<aws.scheduler.attempt-number>"}';
    await client.send(new CreateScheduleCommand(oneTime('context', { Target: { Arn: FUNCTION_ARN, RoleArn: ROLE_ARN, Input: input } })));
    await advanceTo('2026-11-23T07:00:00Z');
    expect(JSON.parse(sent[0]?.input ?? '{}')).toEqual({
      arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/context`,
      at: '2026-11-23T07:00:00Z',
      attempt: '1',
    });
  });

  it('retries a failing target per its retry policy, then dead-letters the input with the failure', async () => {
    const { client, api, sent, advanceTo } = await start((arn) => arn === FUNCTION_ARN);
    const target = {
      Arn: FUNCTION_ARN,
      RoleArn: ROLE_ARN,
      Input: '{"profileId":"p-1"}',
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: DLQ_ARN },
    };
    await client.send(new CreateScheduleCommand(oneTime('flaky', { Target: target })));
    await advanceTo('2026-11-23T07:00:00Z');
    await advanceTo('2026-11-23T07:00:30Z', 500);

    expect(sent.map((entry) => entry.arn)).toEqual([FUNCTION_ARN, FUNCTION_ARN, FUNCTION_ARN, DLQ_ARN]);
    expect(sent[3]).toMatchObject({
      input: '{"profileId":"p-1"}',
      attributes: {
        ERROR_CODE: 'TooManyRequestsException',
        ERROR_MESSAGE: 'Rate exceeded',
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        RETRY_ATTEMPTS: '2',
        SCHEDULE_ARN: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/flaky`,
        TARGET_ARN: FUNCTION_ARN,
      },
    });
    // Retries back off on the virtual clock: the first after about a second, the next about two later.
    const times = sent.map((entry) => Date.parse(entry.at) - Date.parse('2026-11-23T07:00:00Z'));
    expect(times[1]).toBeGreaterThanOrEqual(500);
    expect(times[2]).toBeGreaterThan(times[1] ?? 0);
    expect(api.list()).toEqual([]);
  });
});

describe('Scheduler API: managing schedules', () => {
  it('refuses a second schedule by the same name, unless it is a retry with the same client token', async () => {
    const { client } = await start();
    const first = await client.send(new CreateScheduleCommand(oneTime('once', { ClientToken: 'token-1' })));
    const retried = await client.send(new CreateScheduleCommand(oneTime('once', { ClientToken: 'token-1' })));
    expect(retried.ScheduleArn).toBe(first.ScheduleArn);
    const error = await client.send(new CreateScheduleCommand(oneTime('once'))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as Error).message).toBe('Schedule once already exists.');
    // The same name in another group is another schedule.
    await expect(client.send(new CreateScheduleCommand(oneTime('once', { GroupName: 'outreach' })))).resolves.toBeDefined();
  });

  it('gets, lists and deletes schedules', async () => {
    const { client, api } = await start();
    await client.send(new CreateScheduleCommand(oneTime('defer-a', { Description: 'quiet hours' })));
    await client.send(new CreateScheduleCommand(oneTime('defer-b')));
    await client.send(
      new CreateScheduleCommand(oneTime('report', { GroupName: 'ops', ScheduleExpression: 'cron(0 9 ? * MON *)', ActionAfterCompletion: 'NONE' })),
    );

    const got = await client.send(new GetScheduleCommand({ Name: 'defer-a' }));
    expect(got).toMatchObject({
      Name: 'defer-a',
      GroupName: 'default',
      Description: 'quiet hours',
      ScheduleExpression: 'at(2026-11-23T08:00:00)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: FUNCTION_ARN, RoleArn: ROLE_ARN, Input: '{"profileId":"p-1"}' },
      ActionAfterCompletion: 'DELETE',
      CreationDate: new Date(START),
    });
    const inOps = await client.send(new GetScheduleCommand({ Name: 'report', GroupName: 'ops' }));
    expect(inOps.Arn).toBe(`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/ops/report`);
    await expect(client.send(new GetScheduleCommand({ Name: 'report' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    const names = async (input: ListSchedulesCommandInput) =>
      (await client.send(new ListSchedulesCommand(input))).Schedules?.map((entry) => `${entry.GroupName}/${entry.Name}`);
    expect(await names({})).toEqual(['default/defer-a', 'default/defer-b', 'ops/report']);
    expect(await names({ GroupName: 'ops' })).toEqual(['ops/report']);
    expect(await names({ NamePrefix: 'defer-' })).toEqual(['default/defer-a', 'default/defer-b']);
    const page = await client.send(new ListSchedulesCommand({ MaxResults: 2 }));
    expect(page.NextToken).toBeDefined();
    expect((await client.send(new ListSchedulesCommand({ NextToken: page.NextToken }))).Schedules?.map((entry) => entry.Name)).toEqual(['report']);

    await client.send(new DeleteScheduleCommand({ Name: 'defer-a' }));
    await expect(client.send(new GetScheduleCommand({ Name: 'defer-a' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteScheduleCommand({ Name: 'defer-a' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(api.list().map((entry) => entry.name)).toEqual(['defer-b', 'report']);
  });

  it('updates a schedule: the new expression replaces the old timer', async () => {
    const { client, api, sent, advanceTo } = await start();
    await expect(client.send(new UpdateScheduleCommand(oneTime('missing')))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await client.send(new CreateScheduleCommand(oneTime('moved')));
    await client.send(new UpdateScheduleCommand({ ...oneTime('moved'), ScheduleExpression: 'at(2026-11-23T10:00:00)' }));
    expect(api.list()[0]?.nextFire).toBe(Date.parse('2026-11-23T09:00:00Z'));
    await advanceTo('2026-11-23T08:59:00Z');
    expect(sent).toEqual([]);
    await advanceTo('2026-11-23T09:00:00Z');
    expect(sent).toHaveLength(1);
  });

  it('fires recurring schedules until their end date, and never a disabled one', async () => {
    const { client, sent, advanceTo } = await start();
    await client.send(
      new CreateScheduleCommand({
        ...oneTime('hourly', { ActionAfterCompletion: 'NONE' }),
        ScheduleExpression: 'rate(1 hour)',
        EndDate: new Date('2026-11-22T15:30:00Z'),
      }),
    );
    await client.send(new CreateScheduleCommand({ ...oneTime('off'), State: 'DISABLED', Target: { Arn: DLQ_ARN, RoleArn: ROLE_ARN } }));
    await advanceTo('2026-11-22T18:00:00Z');
    expect(sent.map((entry) => [entry.arn, entry.at])).toEqual([
      [FUNCTION_ARN, '2026-11-22T13:00:00.000Z'],
      [FUNCTION_ARN, '2026-11-22T14:00:00.000Z'],
      [FUNCTION_ARN, '2026-11-22T15:00:00.000Z'],
    ]);
  });
});

describe('Scheduler API: validation', () => {
  it.each([
    ['at(2026-11-23 08:00)', 'write at(yyyy-mm-ddThh:mm:ss)'],
    ['at(2026-11-22T08:00:00)', 'the time is in the past'],
    ['rate(1 minutes)', 'use the singular unit'],
    ['cron(0 8 * * *)', 'cron needs 6 fields'],
    ['every day', 'not a schedule expression'],
  ])('refuses %s with a ValidationException that says why', async (expression, reason) => {
    const { client } = await start();
    const error = await client.send(new CreateScheduleCommand(oneTime('bad', { ScheduleExpression: expression }))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toContain(`Invalid Schedule Expression ${expression}`);
    expect((error as Error).message).toContain(reason);
  });

  it.each([
    [{ ScheduleExpressionTimezone: 'Mars/Olympus' }, 'Invalid ScheduleExpressionTimezone'],
    [{ FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const } }, 'MaximumWindowInMinutes is required'],
    [
      { Target: { Arn: FUNCTION_ARN, RoleArn: ROLE_ARN, RetryPolicy: { MaximumRetryAttempts: 200 } } },
      'MaximumRetryAttempts must be a whole number from 0 to 185',
    ],
    [{ Name: 'no spaces allowed' }, 'must be 1 to 64 letters'],
  ])('refuses %j', async (settings, message) => {
    const { client } = await start();
    await expect(client.send(new CreateScheduleCommand(oneTime('bad', settings)))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(message) as unknown,
    });
  });
});
