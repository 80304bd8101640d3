/**
 * One execution environment of a function: a worker thread that loads the bundle once (the cold
 * start, see function-worker.mjs) and then runs invocations, one at a time as a Lambda execution
 * environment does, or several at once where the sandbox shares it between them. It counts what its invocations cost apart from waiting on others: the CPU time
 * its thread used and the AWS calls its code made.
 */
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

type WorkerReply = { id: string; ok: true; result: unknown } | { id: string; ok: false; error: FunctionErrorPayload };

/** How an invocation ended: its result, or the error the function failed with. */
export type Outcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: FunctionErrorPayload };

export interface EnvironmentOptions {
  readonly spec: SandboxSpec;
  /** The local cloud's clock, which the function reads virtual time from. */
  readonly clockState: Float64Array;
  /** Where the function's output goes; discarded when absent. */
  readonly output?: Writable;
  /** Told the bytes of each chunk the function logs. */
  readonly onLog: (bytes: number) => void;
  /** Told when the worker has ended by itself (a crash, `process.exit`). */
  readonly onExit: (environment: ExecutionEnvironment) => void;
}

export class ExecutionEnvironment {
  private readonly worker: Worker;
  /** Invocations running, by id: told how each ends. */
  private readonly running = new Map<string, (outcome: Outcome) => void>();
  private closed = false;
  /** Written by the worker: [0] AWS calls (HTTP requests) made, [1] its CPU time in ms (-1: not known). */
  private readonly stats = new Float64Array(new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT));

  constructor(options: EnvironmentOptions) {
    const { spec } = options;
    this.worker = new Worker(new URL('./function-worker.mjs', import.meta.url), {
      env: { ...spec.environment },
      workerData: {
        codeDir: spec.codeDir,
        handler: spec.handler,
        clockState: options.clockState.buffer,
        functionName: spec.name,
        functionArn: spec.arn,
        memoryMb: spec.memoryMb,
        stats: this.stats.buffer,
      },
      // Function output is the function's log: to its log file, or nowhere (never the console).
      stdout: true,
      stderr: true,
      execArgv: [],
    });
    // Written chunk by chunk rather than piped: a function's environments share one log file.
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        options.onLog(chunk.length);
        options.output?.write(chunk);
      });
    }
    this.worker.on('message', (reply: WorkerReply) => this.finish(reply.id, reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error }));
    this.worker.on('error', (error) => this.finishAll({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: error.message } }));
    this.worker.on('exit', () => {
      this.finishAll({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'the function sandbox exited' } });
      if (!this.closed) {
        this.closed = true;
        options.onExit(this);
      }
    });
    this.worker.unref();
  }

  /** Invocations running now. */
  get load(): number {
    return this.running.size;
  }

  /** Runs an invocation; `done` is told how it ended. */
  run(id: string, requestId: string, payload: unknown, timeoutMs: number, done: (outcome: Outcome) => void): void {
    this.running.set(id, done);
    this.worker.postMessage({ type: 'invoke', id, requestId, payload, timeoutMs });
  }

  private finish(id: string, outcome: Outcome): void {
    const done = this.running.get(id);
    this.running.delete(id);
    done?.(outcome);
  }

  private finishAll(outcome: Outcome): void {
    for (const id of [...this.running.keys()]) this.finish(id, outcome);
  }

  /** Time the worker's event loop was busy, in ms (cold start included): read it before closing. */
  activeMs(): number {
    return this.worker.performance.eventLoopUtilization().active;
  }

  /** CPU time the worker used, in ms, as last noted; -1 where the system does not count it per thread. */
  cpuMs(): number {
    return this.stats[1] ?? 0;
  }

  awsCalls(): number {
    return this.stats[0] ?? 0;
  }

  /** Ends the worker; invocations still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}
