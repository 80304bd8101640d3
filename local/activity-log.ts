/**
 * The local cloud's activity log: one line per execution, invocation and delivery — what happened,
 * to which resource, the outcome and how long it took — appended to a file, and echoed with
 * `--verbose`. Lines never hold event data, so no personal data reaches the log.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Activity {
  /** e.g. `lambda.invoke`, `states.execution`, `events.delivery`, `sqs.redrive` */
  readonly what: string;
  /** The resource's name. */
  readonly resource: string;
  /** e.g. `ok`, `failed`, `retrying`, `dead-lettered` */
  readonly outcome: string;
  readonly durationMs?: number;
  /** A short detail: an error name, a count. Never event data. */
  readonly detail?: string;
}

export interface ActivityLog {
  record(activity: Activity): void;
}

export class FileActivityLog implements ActivityLog {
  private buffer: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string | undefined,
    private readonly options: { verbose?: boolean; now?: () => number } = {},
  ) {
    if (path) mkdirSync(dirname(path), { recursive: true });
  }

  record(activity: Activity): void {
    const time = new Date(this.options.now?.() ?? Date.now()).toISOString();
    const duration = activity.durationMs === undefined ? '' : ` ${Math.round(activity.durationMs)}ms`;
    const detail = activity.detail ? ` ${activity.detail}` : '';
    const line = `${time} ${activity.what} ${activity.resource} ${activity.outcome}${duration}${detail}`;
    if (this.options.verbose) console.log(line);
    if (!this.path) return;
    // Appending line by line would cost a system call per event; write in small batches.
    this.buffer.push(line);
    this.flushTimer ??= setTimeout(() => this.flush(), 200).unref();
  }

  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.path || this.buffer.length === 0) return;
    appendFileSync(this.path, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
  }
}

/** Keeps activities in memory: for tests and for the demo summary. */
export class MemoryActivityLog implements ActivityLog {
  readonly activities: Activity[] = [];
  record(activity: Activity): void {
    this.activities.push(activity);
  }
}
