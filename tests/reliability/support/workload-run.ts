/**
 * One run of the standard workload (bench/workload.ts) in a fresh local cloud, its events going
 * through the delivery shim, and what it left behind: the end state and the function logs that
 * tell recorded events from duplicates. Two runs to be compared must start at the same virtual
 * time, with the same workload and the same drain; one cloud at a time (the SES inbox is shared).
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkload, type WorkloadOptions, type WorkloadRun } from '#bench/workload.ts';
import { startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { systemEvents, type SystemEvent } from '#tests/support/observe.ts';
import { startDeliveryShim, type DeliveryShimOptions } from './delivery-shim.ts';
import { clearInbox, readEndState, type EndState } from './end-state.ts';
import { readLogLines, type LogLine } from './log-scan.ts';

export interface RunOptions extends Omit<DeliveryShimOptions, 'afterStep'> {
  readonly workload: WorkloadOptions;
  /** Virtual time at start (epoch ms). */
  readonly start: number;
  /** Before the workload, in the started cloud (e.g. to set faults). */
  readonly before?: (test: TestCloud) => Promise<void> | void;
  /** Once a step has settled, before the clock moves on (see DeliveryShimOptions), e.g. to change faults. */
  readonly afterStep?: (step: number, test: TestCloud) => Promise<void> | void;
  /** After the workload, before the end state is read (e.g. an operator's redrive). */
  readonly after?: (test: TestCloud) => Promise<void>;
}

export interface CompletedRun {
  readonly state: EndState;
  readonly workload: WorkloadRun;
  /** Entries the workload put, and how many reached the bus after the delivery plan. */
  readonly sent: number;
  readonly delivered: number;
  /** Every line the functions logged. */
  readonly logs: readonly LogLine[];
}

/** Log lines of a function (by a part of its name) with a message, and optionally more text. */
export function logged(run: CompletedRun, fn: string, message: string, extra = ''): number {
  return run.logs.filter((line) => line.file.includes(fn) && line.text.includes(`"message":"${message}"`) && line.text.includes(extra)).length;
}

export async function runInFreshCloud(options: RunOptions): Promise<CompletedRun> {
  // LIFECYCLE_TEST_LOGS keeps the logs, to look into a failure.
  const kept = process.env.LIFECYCLE_TEST_LOGS;
  const logDir = await mkdtemp(join(kept ?? tmpdir(), 'reliability-run-'));
  const test = await startTestCloud({ speed: 0, startTime: options.start, logDir });
  try {
    await clearInbox(test);
    await options.before?.(test);
    const heard: SystemEvent[] = [];
    // The probe queue keeps a message four virtual days: read it after every step.
    const shim = await startDeliveryShim(test, {
      ...(options.plan && { plan: options.plan }),
      ...(options.drain && { drain: options.drain }),
      ...(options.drainFirst && { drainFirst: options.drainFirst }),
      afterStep: async (step) => {
        await systemEvents(test, heard);
        await options.afterStep?.(step, test);
      },
    });
    let workload: WorkloadRun;
    try {
      workload = await runWorkload(shim.cloud, options.workload);
    } finally {
      await shim.close();
    }
    await options.after?.(test);
    const state = await readEndState(test, heard);
    return { state, workload, sent: shim.received(), delivered: shim.delivered(), logs: readLogLines(join(logDir, 'functions')) };
  } finally {
    await test.stop();
    if (!kept) rmSync(logDir, { recursive: true, force: true });
  }
}
