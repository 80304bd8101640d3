/**
 * The demo: a simulated population's events go through the local cloud's endpoint with the typed
 * emitter, as business systems would send them, plus a few malformed ones a buggy system would
 * send. Then the journeys run for a week of virtual time. Progress bars follow the sending, the
 * processing and the journeys; the summary says what happened.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SingleBar } from 'cli-progress';
import { createEmitter } from '#shared/events/emitter.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import type { LocalCloud } from '../local-cloud.ts';
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
  const progress = new SingleBar({ format: `${label.padEnd(22)} [{bar}] {value}/{total} {eta_formatted}`, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 2000 });
  progress.start(total, 0);
  return progress;
}

export async function runDemo(cloud: LocalCloud, options: DemoOptions): Promise<DemoSummary> {
  const showProgress = options.progress ?? true;
  const population = generatePopulation({ customers: options.customers, seed: options.seed, now: cloud.clock.now() });
  const [outputs = {}] = Object.values(cloud.outputs);
  const busName = outputs.EventBusName ?? '';
  const client = new EventBridgeClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
  const emitter = createEmitter({ client, eventBusName: busName, source: 'com.example.shop', clock: () => new Date(cloud.clock.now()) });
  const malformed = malformedEntries(Math.max(1, Math.round(options.customers / 50)), options.seed);

  const started = performance.now();
  const executionsBefore = cloud.services.stepFunctions.completed;
  const sending = bar('Sending events', population.events.length + malformed.length, showProgress);
  await sendInBatches(population.events, async (batch) => {
    await emitter.emit(batch);
    sending?.increment(batch.length);
  });
  await client.send(new PutEventsCommand({ Entries: malformed.map((entry) => ({ ...entry, EventBusName: busName })) }));
  sending?.increment(malformed.length);
  sending?.stop();

  // Every event runs one stage workflow; follow them until all have finished.
  const expected = population.events.length + malformed.length;
  const processing = bar('Processing workflows', expected, showProgress);
  for (;;) {
    const done = cloud.services.stepFunctions.completed - executionsBefore;
    processing?.update(Math.min(done, expected));
    if (done >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cloud.settle();
  processing?.stop();
  const seconds = (performance.now() - started) / 1000;
  client.destroy();

  const journeys = options.journeys ? await playJourneys(cloud, { journeys: options.journeys, seed: options.seed, progress: showProgress }) : [];
  const surveysAnswered = await answerSurveys(cloud, options.seed);
  return summarize(cloud, { population, sent: population.events.length, malformed: malformed.length, seconds, journeys, surveysAnswered });
}
