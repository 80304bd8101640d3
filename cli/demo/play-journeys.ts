/**
 * The demo's journeys: after the population's history is in, marketing launches the win-back
 * journey on the at-risk segment (with the `journey.launch.requested` event, as any system could),
 * and the local cloud's clock moves on a week and a day so that the welcome series, cart recovery
 * and win-back run their course. The summary reads each journey's results from its metrics.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SingleBar } from 'cli-progress';
import { createEmitter } from '#shared/events/emitter.ts';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import type { LocalCloud } from '#local/local-cloud.ts';

const HOUR = 3_600_000;

export interface JourneyPlayOptions {
  readonly journeys: readonly JourneyDefinition[];
  readonly seed: number;
  /** How long the journeys run for, in virtual time. @default 8 days */
  readonly days?: number;
  /** Show a progress bar. @default true */
  readonly progress?: boolean;
}

export async function playJourneys(cloud: LocalCloud, options: JourneyPlayOptions): Promise<void> {
  const [outputs = {}] = Object.values(cloud.outputs);
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
  const eventBridge = new EventBridgeClient(config);

  const segmentJourneys = options.journeys.filter((journey) => 'segment' in journey.trigger);
  await createEmitter({
    client: eventBridge,
    eventBusName: outputs.EventBusName ?? '',
    source: 'com.example.marketing',
    clock: () => new Date(cloud.clock.now()),
  }).emit(
    segmentJourneys.map((journey) => ({
      detailType: 'journey.launch.requested',
      detail: {
        customer: { id: 'marketing-team' },
        data: { launchId: `demo-${options.seed}-${journey.name}`, journey: journey.name, segment: 'segment' in journey.trigger ? journey.trigger.segment : '' },
      },
    })),
  );
  await cloud.settle();

  const hours = (options.days ?? 8) * 24;
  const step = 6;
  const bar =
    options.progress === false
      ? undefined
      : new SingleBar({ format: `${'Running journeys'.padEnd(22)} [{bar}] day {day}/{days}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 });
  bar?.start(hours, 0, { day: 0, days: hours / 24 });
  for (let done = 0; done < hours; done += step) {
    cloud.clock.advance(step * HOUR);
    await cloud.settle(120_000);
    bar?.update(done + step, { day: Math.floor((done + step) / 24), days: hours / 24 });
  }
  bar?.stop();
  eventBridge.destroy();
}
