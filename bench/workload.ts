/**
 * The standard workload: a simulated population (the demo's personas: browsers, cart abandoners,
 * buyers, late orders, payment trouble, help-desk questions, churners, loyal customers) living
 * through a stretch of virtual days. Time moves in steps; each step's events go to the bus as
 * business systems would send them, and everything that falls due (journey waits, deferred email,
 * the nightly scoring, segment evaluations) runs before the next step. A few malformed events
 * (one per 50 customers) go in too, as a buggy system would send them.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { generatePopulation, malformedEntries } from '#cli/demo/population.ts';
import { sendInBatches } from '#cli/demo/send-events.ts';
import type { LocalCloud } from '#local/local-cloud.ts';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';

const HOUR = 3_600_000;

export interface WorkloadOptions {
  readonly customers: number;
  readonly days: number;
  readonly seed: number;
  /** Virtual hours per step. @default 6 */
  readonly stepHours?: number;
  /** Called after each step with the days done. */
  readonly onStep?: (daysDone: number) => void;
}

export interface WorkloadRun {
  /** Business events sent (valid and malformed). */
  readonly events: number;
  readonly malformed: number;
  readonly byType: Readonly<Record<string, number>>;
  /** Wall-clock seconds the run took. */
  readonly seconds: number;
}

/** The population's events, the malformed ones spread among them, oldest first. */
export function workloadEvents(options: WorkloadOptions, start: number): { valid: readonly EmitInput[]; malformed: ReturnType<typeof malformedEntries> } {
  const end = start + options.days * 24 * HOUR;
  const { events } = generatePopulation({ customers: options.customers, seed: options.seed, now: end, days: options.days });
  return { valid: events, malformed: malformedEntries(Math.max(1, Math.round(options.customers / 50)), options.seed) };
}

/** Runs the workload from the cloud's current time; the cloud's clock must be driven by hand (speed 0). */
export async function runWorkload(cloud: LocalCloud, options: WorkloadOptions): Promise<WorkloadRun> {
  const started = performance.now();
  const start = cloud.clock.now();
  const { valid, malformed } = workloadEvents(options, start);
  const [outputs = {}] = Object.values(cloud.outputs);
  const busName = outputs.EventBusName ?? '';
  const client = new EventBridgeClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const emitter = createEmitter({ client, eventBusName: busName, source: 'com.example.shop', clock: () => new Date(cloud.clock.now()) });

  const stepMs = (options.stepHours ?? 6) * HOUR;
  const steps = Math.ceil((options.days * 24 * HOUR) / stepMs);
  // The malformed events arrive in the middle of the run.
  const malformedStep = Math.floor(steps / 2);
  let next = 0;
  for (let step = 1; step <= steps; step++) {
    // Move on first, so that every event sent is in the past, as business systems report them.
    cloud.clock.advance(stepMs);
    const due: EmitInput[] = [];
    while (next < valid.length && Date.parse(valid[next]?.detail.occurredAt ?? '') <= cloud.clock.now()) due.push(valid[next++] as EmitInput);
    await sendInBatches(due, (batch) => emitter.emit(batch));
    if (step === malformedStep) await client.send(new PutEventsCommand({ Entries: malformed.map((entry) => ({ ...entry, EventBusName: busName })) }));
    await cloud.settle(300_000);
    options.onStep?.((step * stepMs) / (24 * HOUR));
  }
  client.destroy();

  const byType: Record<string, number> = {};
  for (const event of valid) byType[event.detailType] = (byType[event.detailType] ?? 0) + 1;
  return { events: valid.length + malformed.length, malformed: malformed.length, byType, seconds: (performance.now() - started) / 1000 };
}
