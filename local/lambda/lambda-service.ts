/**
 * Lambda in the local cloud: functions from the template run their bundles in sandboxes (worker
 * threads), synchronously for Step Functions tasks and event source mappings, asynchronously for
 * EventBridge targets — with Lambda's asynchronous retries (two, a minute then two apart, on the
 * virtual clock) and then the function's failure destination.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ActivityLog } from '../activity-log.ts';
import { AwsServiceError } from '../aws-error.ts';
import type { Clock } from '../clock.ts';
import type { CrashMode } from '../crash-points.ts';
import type { FaultInjector } from '../faults.ts';
import { FunctionError, FunctionSandbox, type SandboxSpec, type Scaling } from './function-sandbox.ts';
import { platformLogBytes, type LogFormat } from './platform-logs.ts';

export interface AsyncInvokeConfig {
  /** @default 2 */
  readonly maximumRetryAttempts: number;
  /** @default 21600 (6 hours) */
  readonly maximumEventAgeSeconds: number;
  readonly onSuccess?: string;
  readonly onFailure?: string;
}

export interface FunctionDefinition extends SandboxSpec {
  readonly async: AsyncInvokeConfig;
  /** LoggingConfig.LogFormat: the shape, and so the size, of Lambda's own lines. @default 'Text' */
  readonly logFormat?: LogFormat;
  /** TracingConfig.Mode is Active: each invocation may record an X-Ray trace. */
  readonly tracing?: boolean;
  /** The execution role: the function's calls, destinations and queue polling are its. */
  readonly roleArn?: string;
}

export interface LambdaServiceDeps {
  readonly clock: Clock;
  /** The clock's shared state, which sandboxes read virtual time from. */
  readonly clockState: Float64Array;
  readonly log: ActivityLog;
  readonly faults: FaultInjector;
  /** Where function output (their CloudWatch Logs) goes; discarded when absent. */
  readonly logsDir?: string;
  /** Sends a destination record to an ARN (queue, bus, function), as the function's role does in AWS. */
  readonly deliver: (arn: string, payload: unknown, from: FunctionDefinition) => Promise<void>;
  /** Told of each invocation as it starts: the function, Lambda's request id and the event. */
  readonly onInvoke?: (functionName: string, requestId: string, payload: unknown) => void;
  /** Stretches every function's timeout (real time) by this factor. @default 1 */
  readonly timeoutScale?: number;
  /** How invocations share a function's environments. @default SHARED */
  readonly scaling?: Scaling;
}

/** What Lambda counts for billing: requests and duration. */
export interface InvocationMeter {
  requests: number;
  errors: number;
  /** Sum over invocations of duration × memory, in GB-seconds. */
  wallGbSeconds: number;
  /** Bytes of Lambda's own START/END/REPORT lines (or their JSON records), billed as logs. */
  platformLogBytes: number;
}

/** A function's billing facts beside its invocation counts. */
export interface FunctionBilling {
  readonly memoryMb: number;
  readonly logBytes: number;
  readonly tracing: boolean;
  /** Time the function's event loops were busy (cold starts included), in ms: wall time, so it grows when the machine is busy. */
  readonly activeMs: number;
  /** CPU time the function's threads used (cold starts included), in ms; undefined where the system does not count it per thread. */
  readonly cpuMs?: number | undefined;
  /** AWS calls its code made (each awaited by some invocation). */
  readonly awsCalls: number;
}

const RETRY_DELAYS_MS = [60_000, 120_000];

export class LambdaService {
  private readonly functions = new Map<string, { definition: FunctionDefinition; sandbox: FunctionSandbox }>();
  /** Each function's log file, kept across deployments of new code. */
  private readonly outputs = new Map<string, WriteStream>();
  readonly meter = new Map<string, InvocationMeter>();
  /** Sandboxes of code that was replaced, by function: closed when done, counted still. */
  private readonly retiredBy = new Map<string, FunctionSandbox[]>();
  /** Invocations running now. */
  running = 0;

  constructor(private readonly deps: LambdaServiceDeps) {
    if (deps.logsDir) mkdirSync(deps.logsDir, { recursive: true });
  }

  /**
   * What else a function is billed by: its memory (duration is billed at it), the bytes it logged,
   * its traces, and what its duration would be apart from waiting on other invocations: the time
   * its code ran (`activeMs`) and the AWS calls it awaited.
   */
  billingOf(name: string): FunctionBilling {
    const entry = this.functions.get(name);
    // Sandboxes of code deployed before count too.
    const sandboxes = [...(this.retiredBy.get(name) ?? []), ...(entry ? [entry.sandbox] : [])];
    const sum = (of: (sandbox: FunctionSandbox) => number) => sandboxes.reduce((total, sandbox) => total + of(sandbox), 0);
    return {
      memoryMb: entry?.definition.memoryMb ?? 0,
      logBytes: sum((sandbox) => sandbox.logBytes),
      tracing: entry?.definition.tracing ?? false,
      activeMs: sum((sandbox) => sandbox.activeMs()),
      cpuMs: sandboxes.some((sandbox) => sandbox.cpuMs() === undefined) ? undefined : sum((sandbox) => sandbox.cpuMs() ?? 0),
      awsCalls: sum((sandbox) => sandbox.awsCalls()),
    };
  }

  add(definition: FunctionDefinition): void {
    const output = this.deps.logsDir ? createWriteStream(join(this.deps.logsDir, `${definition.name}.log`), { flags: 'a' }) : undefined;
    if (output) this.outputs.set(definition.name, output);
    this.functions.set(definition.name, {
      definition,
      sandbox: new FunctionSandbox(definition, this.deps.clockState, output, this.deps.scaling, this.deps.timeoutScale),
    });
    this.meter.set(definition.name, { requests: 0, errors: 0, wallGbSeconds: 0, platformLogBytes: 0 });
  }

  /**
   * Deploys new code or configuration of a function: invocations from now on run it in a new
   * sandbox (a cold start), those already running finish on the old one. Its counts go on.
   */
  update(definition: FunctionDefinition): void {
    const entry = this.functions.get(definition.name);
    if (!entry) throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${definition.name}`, 404);
    const output = this.outputs.get(definition.name);
    this.retiredBy.set(definition.name, [...(this.retiredBy.get(definition.name) ?? []), entry.sandbox]);
    this.functions.set(definition.name, {
      definition,
      sandbox: new FunctionSandbox(definition, this.deps.clockState, output, this.deps.scaling, this.deps.timeoutScale),
    });
    void entry.sandbox.retire();
  }

  list(): FunctionDefinition[] {
    return [...this.functions.values()].map((entry) => entry.definition);
  }

  /** Finds a function by name, ARN, or qualified ARN. */
  private find(nameOrArn: string) {
    const name = nameOrArn.startsWith('arn:') ? (nameOrArn.split(':')[6] ?? '') : nameOrArn;
    const entry = this.functions.get(name);
    if (!entry) throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${nameOrArn}`, 404);
    return entry;
  }

  /** A synchronous (RequestResponse) invocation. @throws FunctionError when the function fails */
  async invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
    const { definition, sandbox } = this.find(nameOrArn);
    const meter = this.meter.get(definition.name);
    const started = performance.now();
    let runMs: number | undefined;
    let outcome = 'ok';
    this.running++;
    try {
      // The payload is written out only when some fault may hit the invocation.
      if (this.deps.faults.active.length > 0) {
        const call = { resources: [definition.name, definition.arn], content: JSON.stringify(payload) ?? '' };
        const fault = this.deps.faults.check('lambda', call);
        if (fault) throw new FunctionError({ errorType: fault.error ?? 'InjectedFault', errorMessage: 'fault injected by the local cloud' });
        if (this.deps.faults.check('lambda.timeout', call)) {
          throw new FunctionError({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${definition.timeoutSeconds.toFixed(2)} seconds` });
        }
      }
      const requestId = randomUUID();
      this.deps.onInvoke?.(definition.name, requestId, payload);
      const invocation = await sandbox.invoke(payload, requestId);
      runMs = invocation.runMs;
      return invocation.result;
    } catch (error) {
      outcome = error instanceof FunctionError ? `failed ${error.payload.errorType}` : 'failed';
      if (meter) meter.errors++;
      throw error;
    } finally {
      this.running--;
      // Time spent queued for a busy sandbox is not billed; a failed invocation's run time is not
      // known apart from its queueing, so it counts whole (failures are few).
      const durationMs = runMs ?? performance.now() - started;
      if (meter) {
        meter.requests++;
        // Lambda bills duration in 1 ms steps at the configured memory.
        meter.wallGbSeconds += (Math.ceil(durationMs) / 1000) * (definition.memoryMb / 1024);
        meter.platformLogBytes += platformLogBytes(
          { format: definition.logFormat ?? 'Text', tracing: definition.tracing ?? false, memoryMb: definition.memoryMb },
          durationMs,
        );
      }
      this.deps.log.record({ what: 'lambda.invoke', resource: definition.name, outcome, durationMs });
    }
  }

  /**
   * Ends a running invocation at a crash point (see crash-points.ts): `crash` fails it now with a
   * runtime crash; `stall` lets it run out of its configured time. Whether it was running.
   */
  endInvocation(functionName: string, requestId: string, mode: CrashMode): boolean {
    const entry = this.functions.get(functionName);
    const sandboxes = [...(entry ? [entry.sandbox] : []), ...(this.retiredBy.get(functionName) ?? [])];
    return sandboxes.some((sandbox) => (mode === 'crash' ? sandbox.crash(requestId) : sandbox.expireUnstretched(requestId)));
  }

  /** An asynchronous (Event) invocation: accepted at once, retried, then sent to the destination. */
  invokeAsync(nameOrArn: string, payload: unknown): void {
    const { definition } = this.find(nameOrArn);
    const requestId = randomUUID();
    const acceptedAt = this.deps.clock.now();
    const attempt = async (count: number): Promise<void> => {
      try {
        const result = await this.invoke(definition.name, payload);
        if (definition.async.onSuccess)
          await this.deps.deliver(definition.async.onSuccess, this.record(definition, requestId, count, payload, 'Success', result), definition);
      } catch (error) {
        const retriesLeft = count <= definition.async.maximumRetryAttempts;
        const age = this.deps.clock.now() - acceptedAt;
        const delay = RETRY_DELAYS_MS[count - 1] ?? RETRY_DELAYS_MS.at(-1) ?? 60_000;
        if (retriesLeft && age + delay <= definition.async.maximumEventAgeSeconds * 1000) {
          this.deps.log.record({ what: 'lambda.async', resource: definition.name, outcome: 'retrying', detail: `attempt ${count + 1} in ${delay / 1000}s` });
          this.deps.clock.at(this.deps.clock.now() + delay, () => void attempt(count + 1));
          return;
        }
        const condition = retriesLeft ? 'EventAgeExceeded' : 'RetriesExhausted';
        this.deps.log.record({ what: 'lambda.async', resource: definition.name, outcome: 'failed', detail: condition });
        if (definition.async.onFailure) {
          const errorPayload = error instanceof FunctionError ? error.payload : { errorType: 'Error', errorMessage: String(error) };
          await this.deps.deliver(definition.async.onFailure, this.record(definition, requestId, count, payload, condition, errorPayload), definition);
        }
      }
    };
    void attempt(1);
  }

  /** A destination record, as Lambda sends it. */
  private record(definition: FunctionDefinition, requestId: string, invokeCount: number, requestPayload: unknown, condition: string, responsePayload: unknown) {
    const failed = condition !== 'Success';
    return {
      version: '1.0',
      timestamp: new Date(this.deps.clock.now()).toISOString(),
      requestContext: { requestId, functionArn: `${definition.arn}:$LATEST`, condition, approximateInvokeCount: invokeCount },
      requestPayload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(failed && { functionError: 'Unhandled' }) },
      responsePayload,
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      [...[...this.functions.values()].map((entry) => entry.sandbox), ...[...this.retiredBy.values()].flat()].map((sandbox) => sandbox.close()),
    );
    for (const output of this.outputs.values()) output.end();
  }
}
