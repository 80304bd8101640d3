/**
 * The local cloud's virtual clock. Everything that waits in the local cloud — Wait states, retry
 * back-off, queue delays and visibility timeouts, schedules — waits on this clock, so time can run
 * faster than real time (`speed`), stand still (speed 0, for tests), or jump ahead (`advance`).
 * Lambda functions see the same time: their worker threads read it from shared memory.
 */

/** What a component needs from a clock. */
export interface Clock {
  /** Milliseconds since the epoch, in virtual time. */
  now(): number;
  /** Resolves when virtual time reaches `now() + ms` (or at once when aborted). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` when virtual time reaches `time`; returns a function that cancels it. */
  at(time: number, fn: () => void): () => void;
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Indexes into the shared clock state. */
const ANCHOR_VIRTUAL = 0;
const ANCHOR_REAL = 1;
const SPEED = 2;

const realNow = (): number => performance.timeOrigin + performance.now();

/** Reads virtual time from the shared state: used by the clock and by worker threads. */
export function virtualNowFrom(state: Float64Array): number {
  const anchorVirtual = state[ANCHOR_VIRTUAL] ?? 0;
  const anchorReal = state[ANCHOR_REAL] ?? 0;
  const speed = state[SPEED] ?? 1;
  return anchorVirtual + (realNow() - anchorReal) * speed;
}

export interface VirtualClockOptions {
  /** Virtual time at start. @default the real time */
  readonly start?: number;
  /** Virtual milliseconds per real millisecond; 0 stands still until `advance`. @default 1 */
  readonly speed?: number;
}

export class VirtualClock implements Clock {
  /** Shared with worker threads, which compute the same `now()` from it. */
  readonly state = new Float64Array(new SharedArrayBuffer(3 * Float64Array.BYTES_PER_ELEMENT));
  private timers: Timer[] = [];
  private seq = 0;
  private realTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(options: VirtualClockOptions = {}) {
    const speed = options.speed ?? 1;
    if (!(speed >= 0)) throw new RangeError('speed must be 0 or more');
    this.state[ANCHOR_VIRTUAL] = options.start ?? realNow();
    this.state[ANCHOR_REAL] = realNow();
    this.state[SPEED] = speed;
  }

  now(): number {
    return virtualNowFrom(this.state);
  }

  get speed(): number {
    return this.state[SPEED] ?? 1;
  }

  /** Changes the speed from now on, keeping the current virtual time. */
  setSpeed(speed: number): void {
    if (!(speed >= 0)) throw new RangeError('speed must be 0 or more');
    this.reanchor(this.now());
    this.state[SPEED] = speed;
    this.schedule();
  }

  /** Jumps ahead; every timer now due fires, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('can only advance forward');
    this.reanchor(this.now() + ms);
    for (const listener of this.listeners) listener();
    this.fireDue();
  }

  /** Called after every `advance`, e.g. to tell worker threads. */
  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  at(time: number, fn: () => void): () => void {
    const timer: Timer = { due: time, seq: this.seq++, fn };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
    this.schedule();
    return () => {
      this.timers = this.timers.filter((other) => other !== timer);
      this.schedule();
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const cancel = this.at(this.now() + ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        cancel();
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Timers still waiting, e.g. to tell whether anything is left to do. */
  get pending(): number {
    return this.timers.length;
  }

  /** Timers whose time has come and that have not fired yet: work about to start. */
  get overdue(): number {
    const now = this.now();
    return this.timers.filter((timer) => timer.due <= now).length;
  }

  /** Stops the real timer so the process can exit; pending timers stay registered. */
  stop(): void {
    clearTimeout(this.realTimer);
    this.realTimer = undefined;
  }

  private reanchor(virtual: number): void {
    this.state[ANCHOR_VIRTUAL] = virtual;
    this.state[ANCHOR_REAL] = realNow();
  }

  private fireDue(): void {
    const now = this.now();
    while (this.timers.length > 0 && (this.timers[0]?.due ?? Infinity) <= now) {
      const timer = this.timers.shift();
      timer?.fn();
    }
    this.schedule();
  }

  /**
   * Arms one real timer for the earliest virtual timer. While time stands still only a timer whose
   * time has already come is armed (it fires at once); later ones wait for `advance`.
   */
  private schedule(): void {
    clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const next = this.timers[0];
    const wait = next ? next.due - this.now() : Infinity;
    if (!next || (this.speed === 0 && wait > 0)) return;
    const delay = Math.max(0, wait / (this.speed || 1));
    // Real timers cannot wait longer than ~24.8 days; re-arm in steps.
    this.realTimer = setTimeout(() => this.fireDue(), Math.min(delay, 2 ** 31 - 1));
    this.realTimer.unref();
  }
}

/** Parses `90s`, `15m`, `3h`, `3d`, `1w` or a number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a duration: ${JSON.stringify(text)} (use e.g. 90s, 15m, 3h, 3d, 1w)`);
  const amount = Number(match[1]);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] ?? 'ms'] ?? 1;
  return amount * unit;
}
