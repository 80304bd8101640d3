/**
 * A function's sandbox in the local cloud: a worker thread running the bundle (see
 * function-worker.mjs). Invocations are messages; the first one waits for the cold start. At most
 * `maxConcurrency` run at once and the rest wait their turn, as Lambda scales a function out only
 * so far; a function's timeout counts from when its invocation starts running. A timed-out
 * invocation recycles the sandbox, as Lambda does.
 *
 * Wall time here overstates what Lambda would bill (invocations share a worker and the machine), so
 * the sandbox also keeps what an invocation costs apart from waiting on others: the CPU time its
 * workers used (and their event loops' active time, where the system does not count CPU per
 * thread), cold starts included, and how many AWS calls the code awaited.
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';

export interface SandboxSpec {
  readonly name: string;
  readonly arn: string;
  readonly codeDir: string;
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export interface FunctionErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** The function ran and failed (an exception, a timeout, a crash): what Lambda reports as a function error. */
export class FunctionError extends Error {
  override readonly name = 'FunctionError';
  constructor(readonly payload: FunctionErrorPayload) {
    super(`${payload.errorType}: ${payload.errorMessage}`);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
  /** When the invocation started running (not when it was queued). */
  started: number;
  /** Lambda's request id, which the code sees (context.awsRequestId) and tags its calls with. */
  requestId: string;
  /** Hung: only its timeout ends it, whatever its code answers meanwhile (see expireUnstretched). */
  hung?: boolean;
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

/** Invocations one sandbox runs at once; more wait. */
export const DEFAULT_MAX_CONCURRENCY = 16;

type WorkerReply = { id: string; ok: true; result: unknown } | { id: string; ok: false; error: FunctionErrorPayload };

export class FunctionSandbox {
  private worker: Worker | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly queue: Queued[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  /** Workers started so far; each start is a cold start. */
  coldStarts = 0;
  /** Bytes the function has logged: CloudWatch Logs bills their ingestion. */
  logBytes = 0;
  /** Active time and CPU time of workers that have ended, in ms. */
  private endedActiveMs = 0;
  private endedCpuMs = 0;
  /** Written by the workers: [0] AWS calls (HTTP requests) made, [1] the running worker's CPU time in ms (-1: not known). */
  private readonly stats = new Float64Array(new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT));

  constructor(
    private readonly spec: SandboxSpec,
    private readonly clockState: Float64Array,
    private readonly output?: Writable,
    private readonly maxConcurrency = DEFAULT_MAX_CONCURRENCY,
    /** Stretches the timeout: a loaded machine is slower than Lambda, and tests must not depend on its speed. */
    private readonly timeoutScale = 1,
  ) {}

  invoke(payload: unknown, requestId = randomUUID()): Promise<Invocation> {
    return new Promise((resolve, reject) => {
      this.queue.push({ payload, requestId, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts queued invocations while there is room. */
  private dispatch(): void {
    while (this.pending.size < this.maxConcurrency && this.queue.length > 0) {
      const next = this.queue.shift();
      if (next) this.run(next);
    }
  }

  private run(invocation: Queued): void {
    const worker = this.worker ?? this.start();
    const id = randomUUID();
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const timer = setTimeout(() => this.timeOut(id), timeoutMs * this.timeoutScale);
    const started = performance.now();
    this.pending.set(id, {
      resolve: (result) => invocation.resolve({ result, runMs: performance.now() - started }),
      reject: invocation.reject,
      timer,
      started,
      requestId: invocation.requestId,
    });
    worker.postMessage({ type: 'invoke', id, requestId: invocation.requestId, payload: invocation.payload, timeoutMs });
  }

  /** The invocation ran out of time: it fails, and the sandbox is recycled, as Lambda does. */
  private timeOut(id: string): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.reject(new FunctionError({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds` }));
    this.recycle();
  }

  /**
   * Ends a running invocation as a crashed runtime does (the process died): it fails at once and
   * its answer, if it ever comes, is dropped. Other invocations run on. Whether it was running (by its request id).
   */
  crash(requestId: string): boolean {
    const id = this.running(requestId);
    if (id === undefined) return false;
    this.settle({ id, ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' } });
    return true;
  }

  /**
   * Hangs a running invocation: it runs out of the time its function is configured with, counted
   * from its start and never stretched (see `timeoutScale`), and times out as any does; what its
   * code answers meanwhile is dropped. Whether it was running.
   */
  expireUnstretched(requestId: string): boolean {
    const id = this.running(requestId);
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || !pending) return false;
    pending.hung = true;
    clearTimeout(pending.timer);
    const left = this.spec.timeoutSeconds * 1000 - (performance.now() - pending.started);
    pending.timer = setTimeout(() => this.timeOut(id), Math.max(0, left));
    return true;
  }

  /** The sandbox's id of the running invocation with this request id. */
  private running(requestId: string): string | undefined {
    for (const [id, pending] of this.pending) if (pending.requestId === requestId) return id;
    return undefined;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      this.endedActiveMs += worker.performance.eventLoopUtilization().active;
      await worker.terminate();
      this.endedCpuMs += Math.max(0, this.stats[1] ?? 0);
      this.stats[1] = 0;
    }
  }

  /**
   * CPU time the function's threads used, cold starts included, in ms (to the 10 ms the system
   * counts in); undefined where the system does not count it per thread.
   */
  cpuMs(): number | undefined {
    if ((this.stats[1] ?? 0) < 0) return undefined;
    return this.endedCpuMs + (this.stats[1] ?? 0);
  }

  /**
   * Closes the sandbox once what it runs and has queued is done: a deployment of new code lets
   * invocations already started finish on the old.
   */
  async retire(): Promise<void> {
    if (this.pending.size > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.close();
  }

  /** Tells those waiting for the sandbox to have nothing to run (retire) that it has nothing. */
  private noticeIdle(): void {
    if (this.pending.size === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Time the function's code ran, cold starts included, in ms: what its invocations would bill apart from awaited calls. */
  activeMs(): number {
    return this.endedActiveMs + (this.worker?.performance.eventLoopUtilization().active ?? 0);
  }

  /** The AWS calls (HTTP requests) the function's code made. */
  awsCalls(): number {
    return this.stats[0] ?? 0;
  }

  private start(): Worker {
    this.coldStarts++;
    const worker = new Worker(new URL('./function-worker.mjs', import.meta.url), {
      env: { ...this.spec.environment },
      workerData: {
        codeDir: this.spec.codeDir,
        handler: this.spec.handler,
        clockState: this.clockState.buffer,
        functionName: this.spec.name,
        functionArn: this.spec.arn,
        memoryMb: this.spec.memoryMb,
        stats: this.stats.buffer,
      },
      // Function output is the function's log: to its log file, or nowhere (never the console).
      stdout: true,
      stderr: true,
      execArgv: [],
    });
    for (const stream of [worker.stdout, worker.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        this.logBytes += chunk.length;
      });
      if (this.output) stream.pipe(this.output, { end: false });
      else stream.resume();
    }
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.failAll({ errorType: 'Runtime.ExitError', errorMessage: error.message }));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll({ errorType: 'Runtime.ExitError', errorMessage: 'the function sandbox exited' });
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending || pending.hung) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new FunctionError(reply.error));
    this.dispatch();
    this.noticeIdle();
  }

  /** The sandbox died: its running invocations fail; queued ones run in a new sandbox. */
  private failAll(error: FunctionErrorPayload): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new FunctionError(error));
      this.pending.delete(id);
    }
    this.dispatch();
    this.noticeIdle();
  }

  private recycle(): void {
    void this.close();
  }
}
