/**
 * A stand-in for the endpoint the standard workload (bench/workload.ts) puts its events to, so the
 * workload runs as it is while the test decides how its events reach the bus: the shim holds what
 * each step puts, and delivers it when the workload lets the cloud settle — reordered, duplicated,
 * or as it came.
 *
 * Delivery waits for the cloud to settle first. Moving the clock fires everything that fell due
 * in the step (journey waits, deferred email, schedules); letting that work finish before the
 * step's events arrive makes every run of the same workload take the same turns, so two runs
 * differ only in what the test changed, not in how a race between a timer and an event went.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LocalCloud } from '#local/local-cloud.ts';
import type { TestCloud } from '#tests/support/local-cloud.ts';

/** A PutEvents entry as the workload sent it. */
export interface HeldEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName?: string;
  /** Epoch seconds, as the JSON protocol carries a timestamp. */
  readonly Time?: number;
}

/** Turns one step's entries, in the order they were put, into the entries to deliver. */
export type DeliveryPlan = (held: readonly HeldEntry[], step: number) => readonly HeldEntry[];

export interface DeliveryShimOptions {
  readonly plan?: DeliveryPlan;
  /**
   * After a step's events, moves the clock on `everyMs`, `times` times, letting the cloud settle
   * each time: retries, redelivered queue messages and back-offs that wait on the clock run
   * within the step instead of at the next one. Every run under comparison must drain alike.
   * @default none
   */
  readonly drain?: (step: number) => { readonly times: number; readonly everyMs: number };
  /**
   * Likewise, before a step's events: what the step's timers started (a schedule's run, and the
   * copies of it a redelivering cloud makes a little later) finishes before the step's events
   * arrive, as it would in AWS, where the timer fired hours before the step ends. @default none
   */
  readonly drainFirst?: (step: number) => { readonly times: number; readonly everyMs: number };
  /**
   * Called with the step's number (from 1) once its work has settled and before the workload
   * moves the clock on: to read what a queue heard before it expires, or to change the faults
   * for the next step (from its first timer on).
   */
  readonly afterStep?: (step: number) => Promise<unknown>;
}

export interface DeliveryShim {
  /** The cloud to hand to `runWorkload`: the real one, but putting events to the shim. */
  readonly cloud: LocalCloud;
  /** Entries the workload put. */
  readonly received: () => number;
  /** Entries delivered to the bus (after the plan). */
  readonly delivered: () => number;
  close(): Promise<void>;
}

const PARALLEL_CALLS = 4;
const BATCH = 10;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Puts entries on the real bus, ten a call, a few calls at a time; any refused entry fails the run. */
async function deliver(test: TestCloud, entries: readonly HeldEntry[]): Promise<void> {
  const batches: PutEventsRequestEntry[][] = [];
  for (let i = 0; i < entries.length; i += BATCH) {
    batches.push(
      entries
        .slice(i, i + BATCH)
        .map(({ Time, ...entry }) => ({ ...entry, EventBusName: test.busName, ...(Time !== undefined && { Time: new Date(Time * 1000) }) })),
    );
  }
  let next = 0;
  const caller = async () => {
    while (next < batches.length) {
      const response = await test.eventBridge.send(new PutEventsCommand({ Entries: batches[next++] }));
      if (response.FailedEntryCount)
        throw new Error(`the bus refused ${response.FailedEntryCount} entries: ${JSON.stringify(response.Entries?.filter((entry) => entry.ErrorCode))}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_CALLS }, caller));
}

export async function startDeliveryShim(test: TestCloud, options: DeliveryShimOptions = {}): Promise<DeliveryShim> {
  const plan = options.plan ?? ((held) => held);
  let held: HeldEntry[] = [];
  let received = 0;
  let delivered = 0;
  let step = 0;

  const refuse = (response: ServerResponse, status: number, type: string, message: string) => {
    response.statusCode = status;
    response.end(JSON.stringify({ __type: type, message }));
  };
  const server: Server = createServer((request, response) => {
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    readBody(request)
      .then((body) => {
        const target = String(request.headers['x-amz-target'] ?? '');
        if (target !== 'AWSEvents.PutEvents')
          return refuse(response, 400, 'UnknownOperationException', `the delivery shim takes PutEvents only, not ${target}`);
        const entries = (JSON.parse(body) as { Entries?: HeldEntry[] }).Entries ?? [];
        held.push(...entries);
        received += entries.length;
        response.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, n) => ({ EventId: `held-${received - entries.length + n}` })) }));
      })
      .catch((error: unknown) => refuse(response, 500, 'InternalException', error instanceof Error ? error.message : String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  /** Moves the clock on in slices, letting the cloud settle after each. */
  const advanceBy = async (slices: { readonly times: number; readonly everyMs: number } | undefined, timeoutMs?: number): Promise<void> => {
    for (let n = 0; n < (slices?.times ?? 0); n++) {
      test.cloud.clock.advance(slices?.everyMs ?? 0);
      await test.cloud.settle(timeoutMs);
    }
  };

  const settle = async (timeoutMs?: number): Promise<void> => {
    step++;
    await test.cloud.settle(timeoutMs);
    await advanceBy(options.drainFirst?.(step), timeoutMs);
    const due = plan(held, step);
    held = [];
    await deliver(test, due);
    delivered += due.length;
    await test.cloud.settle(timeoutMs);
    await advanceBy(options.drain?.(step), timeoutMs);
    await options.afterStep?.(step);
  };

  return {
    cloud: { ...test.cloud, endpoint: `http://127.0.0.1:${port}`, settle },
    received: () => received,
    delivered: () => delivered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
