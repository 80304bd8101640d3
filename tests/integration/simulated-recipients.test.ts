/**
 * Simulated recipients in the local cloud: delivered email is opened and clicked, and the opens and
 * clicks come back the way production's do (configuration set → EventBridge → the feedback
 * function) into the message log, the customer's counters and the journey's metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import { readStats } from '#shared/journeys/metrics.ts';
import { readMessages, readOutreachState } from '#shared/outreach/outreach-store.ts';
import { emailsTo, type StoredEmail } from '#tests/support/observe.ts';
import { eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

// Noon in Seoul: the welcome email goes out at once.
const START = Date.parse('2026-11-22T03:00:00Z');
const HOUR = 3_600_000;
let test: TestCloud;

beforeAll(async () => {
  // Everyone opens and clicks, so that one email shows the whole way.
  test = await startTestCloud({ speed: 0, startTime: START, recipients: { openRate: 1, clickRate: 1, seed: 1 } });
});

afterAll(async () => {
  await test.stop();
});

describe('simulated recipients', () => {
  it("open and click a delivered email, and the journey's metrics, the message log and the customer's counters count it", async () => {
    const store = { ddb: test.ddb, tableName: test.tableName };
    const welcome = (await loadDefinitions()).journeys.find((journey) => journey.name === 'welcome-series') ?? expect.unreachable('no welcome series');
    const lead = { id: 'c-reader', email: 'reader@example.com', timezone: 'Asia/Seoul' };
    const emitter = createEmitter({
      client: test.eventBridge,
      eventBusName: test.busName,
      source: 'com.example.shop',
      clock: () => new Date(test.cloud.clock.now()),
    });

    await emitter.emit([
      {
        detailType: 'lead.captured',
        detail: { customer: lead, data: { channel: 'signup-form', consent: { email: true, topics: ['newsletter'] } } },
      } as EmitInput,
    ]);
    await test.cloud.settle();
    const [email] = await eventually<StoredEmail[]>(async () => {
      const sent = await emailsTo(test, 'reader@example.com');
      return sent.length > 0 ? sent : undefined;
    }, 'the welcome email');
    // Opens come within half a day of delivery, clicks within half an hour of the open.
    test.cloud.clock.advance(13 * HOUR);
    await test.cloud.settle();

    const stats = await readStats(store, welcome.name, welcome.version, false);
    expect(stats.messages.welcome).toMatchObject({ sent: 1, delivered: 1, opened: 1, clicked: 1 });
    const [message] = await readMessages(store, 'c-reader');
    expect(Object.keys(message?.feedback ?? {}).sort()).toEqual(['clicked', 'delivered', 'opened']);
    const opened = Date.parse(message?.feedback?.opened ?? '');
    expect(opened).toBeGreaterThan(Date.parse(message?.feedback?.delivered ?? ''));
    expect(Date.parse(message?.feedback?.clicked ?? '')).toBeGreaterThan(opened);
    expect(opened).toBeLessThanOrEqual(START + 13 * HOUR);
    expect((await readOutreachState(store, 'c-reader')).counters).toMatchObject({ sent: 1, delivered: 1, opened: 1, clicked: 1 });
    expect(email?.body.html).toMatch(/href="https?:\/\//);
  });
});
