/**
 * The local cloud's activity log, kept as timings: how many invocations, executions and deliveries
 * the burst made and how long each kind took end to end (a Lambda invocation's round trip to its
 * worker, a state machine's execution, a rule's delivery).
 */
import type { Activity, ActivityLog } from '#local/activity-log.ts';
import { percentile } from '#shared/reporting/statistics.ts';

export interface RoundTrip {
  readonly what: string;
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** Keeps the timings of what it records, and passes every record on to `next` (the log file the bench writes). */
export class RoundTrips implements ActivityLog {
  private readonly durations = new Map<string, number[]>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly next?: ActivityLog) {}

  record(activity: Activity): void {
    this.next?.record(activity);
    this.counts.set(activity.what, (this.counts.get(activity.what) ?? 0) + 1);
    if (activity.durationMs === undefined) return;
    const list = this.durations.get(activity.what) ?? [];
    list.push(activity.durationMs);
    this.durations.set(activity.what, list);
  }

  summary(): RoundTrip[] {
    const round = (value: number | null) => Math.round((value ?? 0) * 10) / 10;
    return [...this.counts]
      .map(([what, count]) => {
        const list = this.durations.get(what) ?? [];
        const mean = list.length > 0 ? list.reduce((sum, each) => sum + each, 0) / list.length : 0;
        return { what, count, meanMs: round(mean), p50Ms: round(percentile(list, 0.5)), p95Ms: round(percentile(list, 0.95)) };
      })
      .sort((a, b) => b.count - a.count);
  }
}
