import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Template } from '#local/dynamodb/tables.ts';
import { EnvVars } from '#shared/config.ts';
import { fixture } from '#tests/fixtures/events.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { lambdaContext } from '#tests/support/lambda-context.ts';
import { defaultStack } from '#tests/support/stack.ts';

let dynamo: LocalDynamo;
let handler: (event: unknown, context: unknown) => Promise<unknown>;
const logLines: string[] = [];

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
  // The handler reads its configuration once, at cold start, as it would in Lambda.
  process.env[EnvVars.ProfileTable] = dynamo.tableNames[0];
  process.env.AWS_ENDPOINT_URL = dynamo.endpoint;
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(String(chunk));
      return true;
    });
  }
  ({ handler } = (await import('#functions/record-event.ts')) as unknown as { handler: typeof handler });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await dynamo.close();
});

const delivered = (detailType: Parameters<typeof fixture>[0], change: Record<string, unknown> = {}) => {
  const raw = fixture(detailType);
  return {
    version: '0',
    id: 'eb-1',
    account: '123456789012',
    region: 'us-east-1',
    time: raw.detail.occurredAt,
    resources: [],
    ...raw,
    detail: { ...raw.detail, ...change },
  };
};

describe('record-event function', () => {
  it('records an event and tells the workflow to announce the stage change', async () => {
    const result = await handler(delivered('order.placed'), lambdaContext());

    expect(result).toMatchObject({
      status: 'recorded',
      customerId: 'c-1001',
      announce: true,
      stageChanged: { customer: { id: 'c-1001' }, data: { from: null, to: 'buy', cause: { detailType: 'order.placed' } } },
    });
  });

  it('answers a redelivery as a duplicate that still announces its stage change', async () => {
    const result = await handler(delivered('order.placed'), lambdaContext());
    expect(result).toMatchObject({ status: 'duplicate', announce: true });
  });

  it('says nothing to announce when the stage stays', async () => {
    const result = await handler(delivered('order.shipped'), lambdaContext());
    expect(result).toMatchObject({ status: 'recorded', announce: false, stageChanged: null });
  });

  it('throws InvalidEventError with the reason for an event that breaks the contract', async () => {
    const invalid = delivered('order.placed', { eventId: 'e-bad', data: { orderId: 'o-2' } });
    await expect(handler(invalid, lambdaContext())).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining('data.items: is required'),
    });
    await expect(handler({ hello: 'world' }, lambdaContext())).rejects.toMatchObject({ name: 'InvalidEventError' });
    await expect(handler(delivered('order.placed', { eventId: 'e-future', occurredAt: '2999-01-01T00:00:00Z' }), lambdaContext())).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: 'occurredAt: is in the future',
    });
  });

  it('logs no personal data', () => {
    const output = logLines.join('');
    expect(output).toContain('event recorded');
    expect(output).not.toContain('mina.kim@example.com');
    expect(output).not.toContain('Mina Kim');
  });
});
