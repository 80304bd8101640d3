/**
 * How quickly the local cloud answers, in wall-clock time on this machine:
 * - throughput: a burst of a population's history sent at once, until every stage workflow has run;
 * - support replies: the time from `support.requested` on the bus to the reply (or the
 *   acknowledgement, when the question goes to a person) accepted by SES, one request at a time.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { generatePopulation } from '#cli/demo/population.ts';
import { sendInBatches } from '#cli/demo/send-events.ts';
import type { LocalCloud } from '#local/local-cloud.ts';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import { percentile } from '#shared/reporting/statistics.ts';

export interface Throughput {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /**
   * Virtual minutes the clock was moved on so that retries could run: a loaded machine makes calls
   * time out, and the retries wait on the virtual clock, which stands still during the burst.
   */
  readonly retryMinutes: number;
}

/** Virtual minutes the burst may move the clock on for retries before it gives up. */
const MAX_RETRY_MINUTES = 120;

function emitterFor(cloud: LocalCloud) {
  const [outputs = {}] = Object.values(cloud.outputs);
  const client = new EventBridgeClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const emitter = createEmitter({ client, eventBusName: outputs.EventBusName ?? '', source: 'com.example.shop', clock: () => new Date(cloud.clock.now()) });
  return { emitter, close: () => client.destroy() };
}

/** Sends a population's history at once and waits until every stage workflow has run. */
export async function measureThroughput(
  cloud: LocalCloud,
  options: { customers: number; seed: number; onProgress?: (done: number, total: number) => void },
): Promise<Throughput> {
  const { events } = generatePopulation({ customers: options.customers, seed: options.seed, now: cloud.clock.now() });
  const { emitter, close } = emitterFor(cloud);
  const before = cloud.services.stepFunctions.completed;
  const started = performance.now();
  let sent = false;
  const sending = sendInBatches(events, (batch) => emitter.emit(batch)).finally(() => {
    sent = true;
  });
  let retryMinutes = 0;
  for (;;) {
    const done = cloud.services.stepFunctions.completed - before;
    options.onProgress?.(Math.min(done, events.length), events.length);
    if (done >= events.length) break;
    // Everything sent and nothing in flight, yet events missing: they wait for a retry in virtual time.
    if (sent && cloud.idle()) {
      if (retryMinutes >= MAX_RETRY_MINUTES)
        throw new Error(`the burst stopped at ${done} of ${events.length} events, with nothing in flight after ${retryMinutes} virtual minutes of retries`);
      cloud.clock.advance(60_000);
      retryMinutes++;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await sending;
  await cloud.settle(300_000);
  const seconds = (performance.now() - started) / 1000;
  close();
  return { events: events.length, seconds, eventsPerSecond: events.length / seconds, retryMinutes };
}

const QUESTIONS = [
  'How long does delivery take?',
  'How do I clean the fabric of my sofa?',
  'Can I return something I bought two weeks ago?',
  'How do I reset my smart bulb? It will not pair with the app.',
  '배송은 보통 얼마나 걸리나요?',
];

export interface ReplyTimes {
  readonly samples: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
}

/** Asks `samples` questions, one at a time, each from a known customer, and times the first email back. */
export async function measureSupportReplies(
  cloud: LocalCloud,
  options: { samples: number; onProgress?: (done: number, total: number) => void },
): Promise<ReplyTimes> {
  const { emitter, close } = emitterFor(cloud);
  const customers = Array.from({ length: options.samples }, (_, n) => ({
    id: `bench-support-${n}`,
    email: `bench-support-${n}@example.com`,
    locale: 'en-US',
    timezone: 'Europe/London',
  }));
  // Known customers first (no marketing consent, so nothing else is sent to them).
  await sendInBatches(
    customers.map((customer) => ({ detailType: 'lead.captured', detail: { customer, data: { channel: 'web' } } }) as EmitInput),
    (batch) => emitter.emit(batch),
  );
  await cloud.settle(120_000);

  const seconds: number[] = [];
  for (const [n, customer] of customers.entries()) {
    const sentBefore = cloud.emailsSent();
    const started = performance.now();
    await emitter.emit([
      {
        detailType: 'support.requested',
        detail: {
          customer: { id: customer.id },
          data: { requestId: `bench-r-${n}`, channel: 'email', subject: 'A question', message: QUESTIONS[n % QUESTIONS.length] ?? '' },
        },
      } as EmitInput,
    ]);
    const deadline = Date.now() + 60_000;
    while (cloud.emailsSent() === sentBefore) {
      if (Date.now() > deadline) throw new Error(`no reply to support request ${n} within a minute: see the local cloud's logs`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    seconds.push((performance.now() - started) / 1000);
    await cloud.settle(60_000);
    options.onProgress?.(n + 1, customers.length);
  }
  close();
  return { samples: seconds.length, p50Seconds: percentile(seconds, 0.5) ?? Number.NaN, p95Seconds: percentile(seconds, 0.95) ?? Number.NaN };
}
