/**
 * The demo: a simulated population's events go through the local cloud's endpoint with the typed
 * emitter, as business systems would send them, plus a few malformed ones a buggy system would
 * send. Then the journeys run for a week of virtual time. Progress bars follow the sending and the
 * journeys; the summary says what happened, in the report's figures.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SingleBar } from 'cli-progress';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { RECHECK_AFTER_MS } from '#shared/outreach/decide.ts';
import type { LocalCloud } from '#local/local-cloud.ts';
import { answerSurveys } from './answer-surveys.ts';
import { playJourneys } from './play-journeys.ts';
import { generatePopulation, malformedEntries } from './population.ts';
import { sendInBatches } from './send-events.ts';
import { summarize, type DemoSummary } from './summary.ts';

export interface DemoOptions {
  readonly customers: number;
  readonly seed: number;
  /** Show progress bars. @default true */
  readonly progress?: boolean;
  /** Journeys to launch and run for a week of virtual time after the history is in. */
  readonly journeys?: readonly JourneyDefinition[];
}

function bar(label: string, total: number, enabled: boolean): SingleBar | undefined {
  if (!enabled) return undefined;
  const progress = new SingleBar({
    format: `${label.padEnd(22)} [{bar}] {value}/{total} {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  progress.start(total, 0);
  return progress;
}

/**
 * The demo's virtual time: its history ends at the next 12:00 UTC, whenever it is run, and the
 * clock moves only as the demo moves it, not with the machine's speed, so that what quiet hours
 * defer and what freshness windows allow is the same on every run of a seed.
 */
function demoStart(now: number): number {
  const noon = new Date(now);
  noon.setUTCHours(12, 0, 0, 0);
  return noon.getTime() > now ? noon.getTime() : noon.getTime() + 86_400_000;
}

const ROUND_MS = 3 * 60_000;
if (ROUND_MS <= RECHECK_AFTER_MS) throw new Error("a demo round must outlast the sender's second look");

/**
 * Each customer's events in the order they happened, one round at a time: round k holds every
 * customer's k-th event. Events of different customers go in parallel; a customer's next event
 * waits until the previous one is processed, as when business systems report a person's actions in
 * the order they happened. (All at once, the order in which parallel workflows finish would decide
 * stage changes, and two runs of a seed would differ.)
 */
function rounds(stories: readonly (readonly EmitInput[])[]): EmitInput[][] {
  const longest = Math.max(0, ...stories.map((story) => story.length));
  return Array.from({ length: longest }, (_, round) => stories.flatMap((story) => (story[round] ? [story[round]] : [])));
}

export async function runDemo(cloud: LocalCloud, options: DemoOptions): Promise<DemoSummary> {
  const showProgress = options.progress ?? true;
  const speed = cloud.clock.speed;
  cloud.clock.setSpeed(0);
  try {
    cloud.clock.advance(demoStart(cloud.clock.now()) - cloud.clock.now());
    return await playDemo(cloud, options, showProgress);
  } finally {
    cloud.clock.setSpeed(speed);
  }
}

async function playDemo(cloud: LocalCloud, options: DemoOptions, showProgress: boolean): Promise<DemoSummary> {
  const population = generatePopulation({ customers: options.customers, seed: options.seed, now: cloud.clock.now() });
  const [outputs = {}] = Object.values(cloud.outputs);
  const busName = outputs.EventBusName ?? '';
  const client = new EventBridgeClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
  const emitter = createEmitter({ client, eventBusName: busName, source: 'com.example.shop', clock: () => new Date(cloud.clock.now()) });
  const malformed = malformedEntries(Math.max(1, Math.round(options.customers / 50)), options.seed);

  const started = performance.now();
  const eventsSent = population.events.length + malformed.length;
  const sending = bar('Sending events', eventsSent, showProgress);
  await client.send(new PutEventsCommand({ Entries: malformed.map((entry) => ({ ...entry, EventBusName: busName })) }));
  sending?.increment(malformed.length);
  for (const round of rounds(population.stories)) {
    await sendInBatches(round, async (batch) => {
      await emitter.emit(batch);
      sending?.increment(batch.length);
    });
    await cloud.settle(120_000);
    // An email for a customer first seen moments before is looked at again two minutes later
    // (RECHECK_AFTER_MS); whether it is depends on which of two parallel rules ran first. Moving
    // on three minutes a round decides those within their round, and keeps each round's start on
    // a whole three minutes, so that no quiet-hours boundary (on the hour) falls between a first
    // look and a second.
    cloud.clock.advance(ROUND_MS);
    await cloud.settle(120_000);
  }
  sending?.stop();
  const seconds = (performance.now() - started) / 1000;
  client.destroy();

  if (options.journeys) await playJourneys(cloud, { journeys: options.journeys, seed: options.seed, progress: showProgress });
  const surveysAnswered = await answerSurveys(cloud, options.seed);
  return summarize(cloud, { population, eventsSent, malformed: malformed.length, seconds, journeys: options.journeys ?? [], surveysAnswered });
}
