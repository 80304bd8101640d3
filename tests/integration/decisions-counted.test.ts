/**
 * Every decision not to act is counted with its reason, as a CloudWatch metric an operator can
 * graph. The system runs whole in the local cloud; the metrics are read back from the functions'
 * log lines by the embedded metric format's published rules (an `_aws` member naming the
 * namespace, the dimension sets and the metrics; the values at the top level), not with the code
 * that wrote them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '#shared/events/emitter.ts';
import { emitAndSettle, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo } from '#tests/support/observe.ts';

const NOW = Date.parse('2026-11-22T03:00:00Z');
let test: TestCloud;
let logDir: string;

beforeAll(async () => {
  logDir = mkdtempSync(join(tmpdir(), 'decisions-'));
  test = await startTestCloud({ speed: 0, startTime: NOW, logDir });
});

afterAll(async () => {
  await test.stop();
  rmSync(logDir, { recursive: true, force: true });
});

interface Counted {
  readonly namespace: string;
  readonly service: string;
  readonly decision: string;
  readonly reason: string;
  readonly n: number;
}

/** The `NotActed` data points in every function's log, read by the embedded metric format's rules. */
function notActed(): Counted[] {
  const dir = join(logDir, 'functions');
  const lines = readdirSync(dir).flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n'));
  const found: Counted[] = [];
  for (const line of lines) {
    if (!line.includes('"_aws"')) continue;
    const record = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown> & {
      _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[] };
    };
    expect(typeof record._aws.Timestamp).toBe('number');
    for (const directive of record._aws.CloudWatchMetrics) {
      if (!directive.Metrics.some((metric) => metric.Name === 'NotActed')) continue;
      // Every dimension a directive names is a top-level member, as the format requires.
      for (const set of directive.Dimensions) for (const name of set) expect(typeof record[name]).toBe('string');
      expect(directive.Dimensions.flat()).toEqual(expect.arrayContaining(['service', 'decision', 'reason']));
      const value = record.NotActed;
      found.push({
        namespace: directive.Namespace,
        service: String(record.service),
        decision: String(record.decision),
        reason: String(record.reason),
        n: Array.isArray(value) ? value.reduce((sum: number, each: number) => sum + each, 0) : Number(value),
      });
    }
  }
  return found;
}

const total = (counted: readonly Counted[], service: string, decision: string, reason: string) =>
  counted.filter((each) => each.service === service && each.decision === decision && each.reason === reason).reduce((sum, each) => sum + each.n, 0);

const customer = { id: 'c-counted', email: 'counted@example.com', timezone: 'Asia/Seoul', locale: 'en-US' };
const order: EmitInput = {
  detailType: 'order.placed',
  detail: {
    eventId: 'order-counted-1',
    occurredAt: new Date(NOW).toISOString(),
    customer: { id: customer.id },
    data: { orderId: 'o-counted', items: [{ productId: 'p-1', quantity: 1, price: 10 }], total: 10, currency: 'USD' },
  },
} as EmitInput;

describe('decisions not to act', () => {
  it('counts a redelivered event and the email it would send again, once each, by reason', async () => {
    await emitAndSettle(test, [{ detailType: 'lead.captured', detail: { customer, data: { channel: 'web', consent: { email: true } } } } as EmitInput]);
    await emitAndSettle(test, [order]);
    const before = notActed();
    await emitAndSettle(test, [order]);
    const after = notActed();

    // The order confirmation went out once; the redelivery wrote nothing and sent nothing more.
    const confirmations = (await emailsTo(test, customer.email)).filter((email) => email.subject.toLowerCase().includes('order'));
    expect(confirmations).toHaveLength(1);
    // One stage workflow records order.placed: one duplicate there, one duplicate send request.
    expect(total(after, 'record-event', 'not-recorded', 'duplicate') - total(before, 'record-event', 'not-recorded', 'duplicate')).toBe(1);
    expect(total(after, 'send-outreach', 'not-sent', 'duplicate') - total(before, 'send-outreach', 'not-sent', 'duplicate')).toBe(1);
  });

  it('counts an event refused for its timing under its reason, with no text of the event in the metric', async () => {
    const before = notActed();
    const future = { ...order.detail, eventId: 'order-counted-future', occurredAt: new Date(NOW + 30 * 86_400_000).toISOString() };
    await emitAndSettle(test, [{ detailType: 'order.placed', detail: future } as EmitInput]);
    const after = notActed();
    expect(total(after, 'record-event', 'not-recorded', 'timing') - total(before, 'record-event', 'not-recorded', 'timing')).toBe(1);
  });

  it('writes every count under the stack namespace, as the dashboard reads it', () => {
    const counted = notActed();
    expect(counted.length).toBeGreaterThan(0);
    expect(new Set(counted.map((each) => each.namespace))).toEqual(new Set([expect.stringMatching(/^CustomerLifecycle\/.+/)]));
    for (const each of counted) expect(each.reason).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
  });
});
