/**
 * A function's sandboxes in the local cloud: execution environments (worker threads running the
 * bundle, see execution-environment.ts), kept warm between invocations. An invocation goes to a
 * warm environment with room; when none has, the function scales out with a new environment (a
 * cold start), up to a limit beyond which invocations wait their turn. A function's timeout counts
 * from when its invocation starts running; a timed-out invocation recycles its environment, as
 * Lambda does.
 *
 * How invocations share environments is the sandbox's `scaling`. Lambda runs one invocation at a
 * time in each environment (`ISOLATED`: up to 16 environments of one invocation each). Measured
 * under the bench's burst on two cores, that made the functions' CPU time five times what it was
 * (every scale-out loads and compiles the bundle again) and the burst four times slower; so by
 * default one environment runs up to 16 invocations at once (`SHARED`), which differs from Lambda
 * only for code that keeps per-invocation state in module scope across an await.
 *
 * Wall time here overstates what Lambda would bill (environments share the machine), so the
 * sandboxes also keep what an invocation costs apart from waiting on others: the CPU time their
 * workers used (and their event loops' active time, where the system does not count CPU per
 * thread), cold starts included, and how many AWS calls the code awaited.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { ExecutionEnvironment, type FunctionErrorPayload, type Outcome, type SandboxSpec } from './execution-environment.ts';

export type { FunctionErrorPayload, SandboxSpec } from './execution-environment.ts';

/** The function ran and failed (an exception, a timeout, a crash): what Lambda reports as a function error. */
export class FunctionError extends Error {
  override readonly name = 'FunctionError';
  constructor(readonly payload: FunctionErrorPayload) {
    super(`${payload.errorType}: ${payload.errorMessage}`);
  }
}

/** A finished invocation: its result and how long it ran, which is what Lambda bills. */
export interface Invocation {
  readonly result: unknown;
  readonly runMs: number;
}

interface Queued {
  readonly payload: unknown;
  readonly requestId: string;
  resolve(value: Invocation): void;
  reject(error: unknown): void;
}

/** An invocation running in an environment, by its request id: what a crash or a hang needs to end it. */
interface Running {
  readonly invocation: Queued;
  /** When it started running (not when it was queued). */
  readonly started: number;
  /** Hung: only its timeout ends it, whatever its code answers meanwhile (see expireUnstretched). */
  hung: boolean;
  timer: NodeJS.Timeout | undefined;
  timeOut: () => void;
}

/** How a function's invocations share its environments: how many environments, how many invocations each runs at once. */
export interface Scaling {
  readonly environments: number;
  readonly invocationsEach: number;
}

/** Lambda's way: an environment per concurrent invocation. */
export const ISOLATED: Scaling = { environments: 16, invocationsEach: 1 };
/** One warm environment shared by up to 16 invocations at once: the local cloud's default. */
export const SHARED: Scaling = { environments: 1, invocationsEach: 16 };

export class FunctionSandbox {
  private readonly environments: ExecutionEnvironment[] = [];
  private readonly queue: Queued[] = [];
  /** Invocations running, by their request id (the id the code sees and tags its calls with). */
  private readonly running = new Map<string, Running>();
  private readonly idleWaiters: (() => void)[] = [];
  /** Environments started so far; each start is a cold start. */
  coldStarts = 0;
  /** Bytes the function has logged: CloudWatch Logs bills their ingestion. */
  logBytes = 0;
  /** What environments that have ended used: active time, CPU time (ms) and AWS calls. */
  private ended = { activeMs: 0, cpuMs: 0, awsCalls: 0, cpuUnknown: false };
  private closed = false;

  constructor(
    private readonly spec: SandboxSpec,
    private readonly clockState: Float64Array,
    private readonly output?: Writable,
    private readonly scaling: Scaling = SHARED,
    /** Stretches the timeout: a loaded machine is slower than Lambda, and tests must not depend on its speed. */
    private readonly timeoutScale = 1,
  ) {}

  invoke(payload: unknown, requestId = randomUUID()): Promise<Invocation> {
    return new Promise((resolve, reject) => {
      this.queue.push({ payload, requestId, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts queued invocations on free environments, scaling out while there is room. */
  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const environment =
        this.environments.find((each) => each.load < this.scaling.invocationsEach) ??
        (this.environments.length < this.scaling.environments ? this.start() : undefined);
      const next = environment && this.queue.shift();
      if (!environment || !next) return;
      this.run(environment, next);
    }
  }

  private run(environment: ExecutionEnvironment, invocation: Queued): void {
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const running: Running = { invocation, started: performance.now(), hung: false, timer: undefined, timeOut: () => {} };
    running.timeOut = () => {
      if (!this.finish(running)) return;
      invocation.reject(
        new FunctionError({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds` }),
      );
      // The environment is recycled: whatever the invocation still does ends with it.
      void this.remove(environment).then(() => this.dispatch());
    };
    running.timer = setTimeout(running.timeOut, timeoutMs * this.timeoutScale);
    this.running.set(invocation.requestId, running);
    environment.run(randomUUID(), invocation.requestId, invocation.payload, timeoutMs, (outcome: Outcome) => {
      // A hung invocation ends only by its timeout; a crashed one was answered already.
      if (!running.hung && this.finish(running)) {
        if (outcome.ok) invocation.resolve({ result: outcome.result, runMs: performance.now() - running.started });
        else invocation.reject(new FunctionError(outcome.error));
      }
      this.dispatch();
      this.noticeIdle();
    });
  }

  /** Marks an invocation answered (once): false when it was already. */
  private finish(running: Running): boolean {
    if (this.running.get(running.invocation.requestId) !== running) return false;
    this.running.delete(running.invocation.requestId);
    clearTimeout(running.timer);
    return true;
  }

  /**
   * Ends a running invocation as a crashed runtime does (the process died): it fails at once and
   * its answer, if it ever comes, is dropped. Other invocations run on. Whether it was running (by its request id).
   */
  crash(requestId: string): boolean {
    const running = this.running.get(requestId);
    if (!running || !this.finish(running)) return false;
    running.invocation.reject(new FunctionError({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' }));
    return true;
  }

  /**
   * Hangs a running invocation: it runs out of the time its function is configured with, counted
   * from its start and never stretched (see `timeoutScale`), and times out as any does; what its
   * code answers meanwhile is dropped. Whether it was running.
   */
  expireUnstretched(requestId: string): boolean {
    const running = this.running.get(requestId);
    if (!running) return false;
    running.hung = true;
    clearTimeout(running.timer);
    const left = this.spec.timeoutSeconds * 1000 - (performance.now() - running.started);
    running.timer = setTimeout(running.timeOut, Math.max(0, left));
    return true;
  }

  private start(): ExecutionEnvironment {
    this.coldStarts++;
    const environment = new ExecutionEnvironment({
      spec: this.spec,
      clockState: this.clockState,
      ...(this.output && { output: this.output }),
      onLog: (bytes) => {
        this.logBytes += bytes;
      },
      // An environment that ended by itself is replaced by the next invocation that needs one.
      onExit: (exited) => void this.remove(exited).then(() => this.dispatch()),
    });
    this.environments.push(environment);
    return environment;
  }

  /** Takes an environment out of service and ends it, keeping what it used. */
  private async remove(environment: ExecutionEnvironment): Promise<void> {
    const index = this.environments.indexOf(environment);
    if (index < 0) return;
    this.environments.splice(index, 1);
    this.ended.activeMs += environment.activeMs();
    this.ended.awsCalls += environment.awsCalls();
    await environment.close();
    const cpu = environment.cpuMs();
    if (cpu < 0) this.ended.cpuUnknown = true;
    else this.ended.cpuMs += cpu;
  }

  /** Ends every environment: what runs or waits fails, and nothing starts again. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0))
      queued.reject(new FunctionError({ errorType: 'Runtime.ExitError', errorMessage: 'the function sandbox was closed' }));
    await Promise.all([...this.environments].map((environment) => this.remove(environment)));
  }

  /**
   * CPU time the function's threads used, cold starts included, in ms (to the 10 ms the system
   * counts in); undefined where the system does not count it per thread.
   */
  cpuMs(): number | undefined {
    if (this.ended.cpuUnknown || this.environments.some((environment) => environment.cpuMs() < 0)) return undefined;
    return this.environments.reduce((sum, environment) => sum + environment.cpuMs(), this.ended.cpuMs);
  }

  /**
   * Closes the sandbox once what it runs and has queued is done: a deployment of new code lets
   * invocations already started finish on the old.
   */
  async retire(): Promise<void> {
    if (!this.idle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.close();
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.environments.every((environment) => environment.load === 0);
  }

  /** Tells those waiting for the sandbox to have nothing to run (retire) that it has nothing. */
  private noticeIdle(): void {
    if (this.idle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Time the function's code ran, cold starts included, in ms: what its invocations would bill apart from awaited calls. */
  activeMs(): number {
    return this.environments.reduce((sum, environment) => sum + environment.activeMs(), this.ended.activeMs);
  }

  /** The AWS calls (HTTP requests) the function's code made. */
  awsCalls(): number {
    return this.environments.reduce((sum, environment) => sum + environment.awsCalls(), this.ended.awsCalls);
  }
}
