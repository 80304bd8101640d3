/**
 * The launches the console started, by launch id. Asking again with an id already here (a double
 * click, a resent form) answers with the same launch instead of starting another; the stack's
 * launcher would start nobody twice anyway, as the launch id names every run.
 */
import type { LaunchReport } from '#shared/journeys/launch.ts';

export interface LaunchJob {
  readonly launchId: string;
  readonly journey: string;
  state: 'running' | 'done' | 'failed';
  report?: LaunchReport;
  error?: string;
}

export class LaunchJobs {
  private readonly jobs = new Map<string, LaunchJob>();
  private readonly running = new Set<Promise<unknown>>();

  get(launchId: string): LaunchJob | undefined {
    return this.jobs.get(launchId);
  }

  /** Starts `run` unless a launch with this id is known; either way answers with that launch. */
  start(launchId: string, journey: string, run: () => Promise<LaunchReport>): LaunchJob {
    const known = this.jobs.get(launchId);
    if (known) return known;
    const job: LaunchJob = { launchId, journey, state: 'running' };
    this.jobs.set(launchId, job);
    const settled = run().then(
      (report) => Object.assign(job, { state: 'done', report }),
      (error: unknown) => Object.assign(job, { state: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return job;
  }

  /** Settles when no launch is running (for a clean stop). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
