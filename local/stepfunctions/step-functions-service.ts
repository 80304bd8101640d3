/**
 * Step Functions in the local cloud: the template's state machines run with the
 * aws-local-stepfunctions interpreter (validated once, at start), with every Task handled locally
 * (integrations.ts), waits and retries on the virtual clock, and the execution API the AWS SDK
 * uses: StartExecution (idempotent on name for Standard), StartSyncExecution (Express),
 * DescribeExecution, ListExecutions, ListStateMachines, DescribeStateMachine, StopExecution.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import type { ActivityLog } from '../activity-log.ts';
import { AwsServiceError, unknownOperation, type JsonActionHandler } from '../aws-error.ts';
import type { Clock } from '../clock.ts';
import { ExecutionLogMeter, type InterpreterEvent, type LoggingSpec } from './execution-logs.ts';
import { readPath } from './json-path.ts';
import { LOCAL_WAIT_RESOURCE, prepareDefinition, type PreparedTask } from './prepare-definition.ts';
import { withRetries } from './retry.ts';

export type MachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineSpec {
  readonly name: string;
  readonly arn: string;
  readonly type: MachineType;
  readonly definition: unknown;
  readonly roleArn?: string;
  /** The template's LoggingConfiguration: what each execution's history would cost to log. */
  readonly logging?: LoggingSpec;
  /** TracingConfiguration.Enabled: each execution may record an X-Ray trace. */
  readonly tracing?: boolean;
}

export interface Execution {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: string;
  readonly startDate: number;
  status: ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Settles when the execution stops. */
  readonly done: Promise<void>;
  abort(): void;
}

/** JSON as the interpreter passes it around. */
type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };

/** Runs a Task's resource for a state machine, which calls with its role. */
export type TaskRunner = (resource: string, input: unknown, machine: StateMachineSpec) => Promise<unknown>;

export interface StepFunctionsDeps {
  readonly clock: Clock;
  readonly log: ActivityLog;
  readonly runTask: TaskRunner;
  readonly region: string;
  readonly accountId: string;
}

/** What Step Functions bills: Standard transitions, Express requests and duration; and what it makes others bill. */
export interface StepFunctionsMeter {
  standardTransitions: number;
  /** Standard state entries by state name (across machines): which states the transitions went to. */
  standardStates: Record<string, number>;
  /** Bytes the executions' logging would deliver to CloudWatch Logs (vended logs), by state machine name. */
  logBytes: Record<string, number>;
  /** Executions of machines with tracing enabled. */
  tracedExecutions: number;
  expressRequests: number;
  /** Express duration × 64 MB steps, in GB-seconds (billed per 100 ms). */
  expressGbSeconds: number;
}

interface Machine {
  readonly spec: StateMachineSpec;
  readonly interpreter: StateMachine;
  readonly tasks: ReadonlyMap<string, PreparedTask>;
  readonly createdAt: number;
  /** Each state's type in the template's definition (Wait states run as tasks here). */
  readonly stateTypes: ReadonlyMap<string, string>;
}

// Finished executions kept for DescribeExecution and ListExecutions, per state machine.
const KEEP_FINISHED = 1000;

const epochSeconds = (time: number | undefined): number | undefined => (time === undefined ? undefined : time / 1000);

export class StepFunctionsService {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly byMachine = new Map<string, Execution[]>();
  readonly meter: StepFunctionsMeter = {
    standardTransitions: 0,
    standardStates: {},
    logBytes: {},
    tracedExecutions: 0,
    expressRequests: 0,
    expressGbSeconds: 0,
  };
  private running = 0;
  /** Executions finished since start. */
  completed = 0;
  /** Executions waiting on the virtual clock (a Wait state, a retry back-off). */
  private sleeping = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: StepFunctionsDeps) {}

  add(spec: StateMachineSpec): void {
    const prepared = prepareDefinition(spec.definition);
    // Validated once here; executions then skip validation (constructing one costs 100-300 ms).
    new StateMachine(prepared.definition as never, { validationOptions: { checkArn: false, checkPaths: true } });
    const interpreter = new StateMachine(prepared.definition as never, { validationOptions: { noValidate: true } });
    this.machines.set(spec.arn, { spec, interpreter, tasks: prepared.tasks, createdAt: this.deps.clock.now(), stateTypes: stateTypesOf(spec.definition) });
  }

  list(): StateMachineSpec[] {
    return [...this.machines.values()].map((machine) => machine.spec);
  }

  /** Executions running, for callers that wait for the cloud to settle. */
  get inFlight(): number {
    return this.running;
  }

  /** Executions doing work now, not waiting for virtual time to pass. */
  get busy(): number {
    return this.running - this.sleeping;
  }

  private async sleep(ms: number): Promise<void> {
    this.sleeping++;
    try {
      await this.deps.clock.sleep(ms);
    } finally {
      this.sleeping--;
    }
  }

  /** Resolves when no execution is running. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private machine(arn: unknown): Machine {
    // A version or alias ARN (…:stateMachine:name:live) starts the machine it qualifies.
    const unqualified = typeof arn === 'string' ? arn.split(':').slice(0, 7).join(':') : undefined;
    const machine = unqualified ? this.machines.get(unqualified) : undefined;
    if (!machine) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return machine;
  }

  startExecution(stateMachineArn: string, input = '{}', name?: string): Execution {
    const machine = this.machine(stateMachineArn);
    const executionName = name ?? randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(executionName)) {
      throw new AwsServiceError('InvalidName', `Invalid Name: '${executionName}' (1-80 letters, digits, - or _)`);
    }
    const parsedInput = this.parseInput(input);
    const { spec } = machine;
    if (spec.type === 'STANDARD') {
      const existing = this.executions.get(this.executionArn(spec, executionName));
      if (existing) {
        // Idempotent on name: the same name with the same input is the same execution.
        if (existing.input === input && existing.status === 'RUNNING') return existing;
        throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
      }
    }
    return this.run(machine, executionName, input, parsedInput);
  }

  private parseInput(input: string): JSONValue {
    try {
      return JSON.parse(input) as JSONValue;
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }
  }

  private executionArn(spec: StateMachineSpec, name: string): string {
    const { region, accountId } = this.deps;
    return spec.type === 'STANDARD'
      ? `arn:aws:states:${region}:${accountId}:execution:${spec.name}:${name}`
      : `arn:aws:states:${region}:${accountId}:express:${spec.name}:${name}:${randomUUID()}`;
  }

  private run(machine: Machine, name: string, input: string, parsedInput: JSONValue): Execution {
    const { spec } = machine;
    const executionArn = this.executionArn(spec, name);
    const startDate = this.deps.clock.now();
    const started = performance.now();
    const handlers = this.handlersFor(machine);
    const context = {
      Execution: { Id: executionArn, Name: name, Input: parsedInput, StartTime: new Date(startDate).toISOString(), RoleArn: spec.roleArn ?? '' },
      StateMachine: { Id: spec.arn, Name: spec.name },
    };
    const handle = machine.interpreter.run(parsedInput, { overrides: { taskResourceLocalHandlers: handlers }, context });
    const logs = new ExecutionLogMeter(spec.logging ?? { level: 'OFF', includeExecutionData: false }, executionArn, (state) => machine.stateTypes.get(state));
    if (spec.type === 'STANDARD' || logs.enabled) void this.countEvents(spec, handle.eventLogs, logs);
    if (spec.tracing) this.meter.tracedExecutions++;

    const execution: Execution = {
      executionArn,
      name,
      stateMachineArn: spec.arn,
      input,
      startDate,
      status: 'RUNNING',
      abort: () => handle.abort(),
      done: handle.result
        .then(
          (output) => {
            execution.status = 'SUCCEEDED';
            execution.output = JSON.stringify(output ?? null);
          },
          (error: unknown) => {
            if (error instanceof ExecutionAbortedError) {
              execution.status = 'ABORTED';
              return;
            }
            const cause = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
            execution.status = cause?.name === 'States.Timeout' ? 'TIMED_OUT' : 'FAILED';
            execution.error = cause?.name ?? 'Error';
            execution.cause = cause?.message ?? String(error);
          },
        )
        .finally(() => {
          execution.stopDate = this.deps.clock.now();
          const durationMs = performance.now() - started;
          if (spec.type === 'EXPRESS') {
            this.meter.expressRequests++;
            // Express bills duration in 100 ms steps at 64 MB steps of memory; 64 MB is the floor.
            this.meter.expressGbSeconds += (Math.ceil(Math.max(durationMs, 1) / 100) / 10) * (64 / 1024);
          }
          this.deps.log.record({
            what: 'states.execution',
            resource: spec.name,
            outcome: execution.status.toLowerCase(),
            durationMs,
            ...(execution.error && { detail: execution.error }),
          });
          this.running--;
          this.completed++;
          if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        }),
    };
    this.running++;
    this.executions.set(executionArn, execution);
    const list = this.byMachine.get(spec.arn) ?? [];
    list.push(execution);
    if (list.length > KEEP_FINISHED) {
      const dropped = list.splice(0, list.length - KEEP_FINISHED);
      for (const old of dropped) if (old.status !== 'RUNNING') this.executions.delete(old.executionArn);
    }
    this.byMachine.set(spec.arn, list);
    return execution;
  }

  /** Standard transitions and the states they entered, and the bytes the execution's logging delivers. */
  private async countEvents(spec: StateMachineSpec, events: AsyncGenerator<InterpreterEvent>, logs: ExecutionLogMeter): Promise<void> {
    for await (const event of events) {
      if (spec.type === 'STANDARD' && event.type === 'StateEntered') {
        this.meter.standardTransitions++;
        const state = event.state?.name ?? '';
        this.meter.standardStates[state] = (this.meter.standardStates[state] ?? 0) + 1;
      }
      if (logs.enabled) {
        const before = logs.bytes;
        logs.add(event);
        this.meter.logBytes[spec.name] = (this.meter.logBytes[spec.name] ?? 0) + logs.bytes - before;
      }
    }
  }

  /** A local handler for every Task (and former Wait) state: waits and retries on the virtual clock. */
  private handlersFor(machine: Machine): Record<string, (input: JSONValue) => Promise<JSONValue>> {
    const handlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
    for (const [stateName, task] of machine.tasks) {
      handlers[stateName] = async (input) => {
        if (task.resource === LOCAL_WAIT_RESOURCE) {
          await this.sleep(this.waitMs(task, input));
          return input;
        }
        return (await withRetries(
          task.retry,
          { sleep: (ms) => this.sleep(ms) },
          () => this.deps.runTask(task.resource, input, machine.spec),
          (error, delayMs) =>
            this.deps.log.record({
              what: 'states.retry',
              resource: `${machine.spec.name}/${stateName}`,
              outcome: 'retrying',
              detail: `${error.name} in ${Math.round(delayMs)}ms`,
            }),
        )) as JSONValue;
      };
    }
    return handlers;
  }

  private waitMs(task: PreparedTask, input: JSONValue): number {
    const wait = task.wait ?? {};
    if (wait.Seconds !== undefined) return wait.Seconds * 1000;
    if (wait.SecondsPath !== undefined) return Number(readPath(input, wait.SecondsPath)) * 1000;
    const timestamp = wait.Timestamp ?? (wait.TimestampPath !== undefined ? String(readPath(input, wait.TimestampPath)) : undefined);
    return timestamp === undefined ? 0 : Date.parse(timestamp) - this.deps.clock.now();
  }

  /** What ListExecutions says of an execution. */
  private summary(execution: Execution) {
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: epochSeconds(execution.startDate),
      ...(execution.stopDate !== undefined && { stopDate: epochSeconds(execution.stopDate) }),
    };
  }

  /** What DescribeExecution says of it. */
  private describe(execution: Execution) {
    return {
      ...this.summary(execution),
      input: execution.input,
      ...(execution.output !== undefined && { output: execution.output }),
      ...(execution.error !== undefined && { error: execution.error }),
      ...(execution.cause !== undefined && { cause: execution.cause }),
    };
  }

  readonly handle: JsonActionHandler = async (action, input) => {
    switch (action) {
      case 'StartExecution': {
        const execution = this.startExecution(String(input.stateMachineArn), (input.input as string | undefined) ?? '{}', input.name as string | undefined);
        return { executionArn: execution.executionArn, startDate: epochSeconds(execution.startDate) };
      }
      case 'StartSyncExecution': {
        const machine = this.machine(input.stateMachineArn);
        if (machine.spec.type !== 'EXPRESS') throw new AwsServiceError('StateMachineTypeNotSupported', 'StartSyncExecution is only for Express state machines');
        const execution = this.startExecution(machine.spec.arn, (input.input as string | undefined) ?? '{}', input.name as string | undefined);
        await execution.done;
        const { executionArn, stateMachineArn, name, status, startDate, stopDate, input: executionInput, output, error, cause } = this.describe(execution);
        return { executionArn, stateMachineArn, name, status, startDate, stopDate, input: executionInput, output, error, cause };
      }
      case 'DescribeExecution': {
        const execution = this.executions.get(String(input.executionArn));
        if (!execution) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(input.executionArn)}'`);
        return this.describe(execution);
      }
      case 'StopExecution': {
        const execution = this.executions.get(String(input.executionArn));
        if (!execution) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(input.executionArn)}'`);
        execution.abort();
        await execution.done;
        return { stopDate: epochSeconds(execution.stopDate) };
      }
      case 'ListExecutions': {
        const machine = this.machine(input.stateMachineArn);
        const filter = input.statusFilter as ExecutionStatus | undefined;
        const executions = (this.byMachine.get(machine.spec.arn) ?? []).filter((execution) => !filter || execution.status === filter).reverse();
        const max = Number(input.maxResults ?? 100) || 100;
        const start = Number(input.nextToken ?? 0);
        const page = executions.slice(start, start + max);
        return {
          executions: page.map((execution) => this.summary(execution)),
          ...(start + max < executions.length && { nextToken: String(start + max) }),
        };
      }
      case 'ListStateMachines':
        return {
          stateMachines: [...this.machines.values()].map((machine) => ({
            stateMachineArn: machine.spec.arn,
            name: machine.spec.name,
            type: machine.spec.type,
            creationDate: epochSeconds(machine.createdAt),
          })),
        };
      case 'DescribeStateMachine': {
        const machine = this.machine(input.stateMachineArn);
        return {
          stateMachineArn: machine.spec.arn,
          name: machine.spec.name,
          type: machine.spec.type,
          status: 'ACTIVE',
          definition: JSON.stringify(machine.spec.definition),
          roleArn: machine.spec.roleArn ?? '',
          creationDate: epochSeconds(machine.createdAt),
        };
      }
      default:
        throw unknownOperation('Step Functions', action);
    }
  };

  /** Stops every running execution. */
  async close(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) execution.abort();
    await Promise.allSettled(running.map((execution) => execution.done));
  }
}

/** Every state's type by name, nested branches and iterators included. */
function stateTypesOf(definition: unknown): Map<string, string> {
  const types = new Map<string, string>();
  const walk = (node: unknown): void => {
    const states = (node as { States?: Record<string, Record<string, unknown>> } | null)?.States ?? {};
    for (const [name, state] of Object.entries(states)) {
      types.set(name, String(state.Type));
      for (const branch of (state.Branches as unknown[] | undefined) ?? []) walk(branch);
      walk(state.Iterator ?? state.ItemProcessor);
    }
  };
  walk(definition);
  return types;
}
