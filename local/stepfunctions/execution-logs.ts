/**
 * What a state machine's logging configuration would send to CloudWatch Logs, in bytes, so that a
 * run here can be priced: Step Functions delivers each history event its log level admits as one
 * JSON record (id, type, details, previous_event_id, event_timestamp, execution_arn,
 * redrive_count), with the input and output in `details` only when IncludeExecutionData is on.
 *
 * The interpreter reports fewer events than AWS's history holds (a Task's TaskScheduled,
 * TaskStarted and TaskSucceeded are one state here), so each is expanded into the events AWS
 * writes for it. Retries the local cloud applies around a task are not in the interpreter's events
 * and are not counted: the figure is a floor for machines that retry often.
 */

export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

export interface LoggingSpec {
  readonly level: LogLevel;
  readonly includeExecutionData: boolean;
}

/** From a template's `LoggingConfiguration`; absent means OFF, as in AWS. */
export function loggingSpec(configuration: unknown): LoggingSpec {
  const config = (configuration ?? {}) as { Level?: unknown; IncludeExecutionData?: unknown };
  const level = ['ALL', 'ERROR', 'FATAL'].includes(String(config.Level)) ? (config.Level as LogLevel) : 'OFF';
  return { level, includeExecutionData: config.IncludeExecutionData === true };
}

// The history events each level admits (ALL admits every one).
const FATAL_EVENTS = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
const ERROR_EVENTS = new Set([
  ...FATAL_EVENTS,
  'FailStateEntered',
  'TaskFailed',
  'TaskTimedOut',
  'MapStateFailed',
  'MapIterationFailed',
  'ParallelStateFailed',
]);

function admits(level: LogLevel, type: string): boolean {
  if (level === 'ALL') return true;
  if (level === 'ERROR') return ERROR_EVENTS.has(type);
  if (level === 'FATAL') return FATAL_EVENTS.has(type);
  return false;
}

/** What the interpreter reports, as far as logging needs it. */
export interface InterpreterEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: { readonly name: string; readonly type: string; readonly input?: unknown; readonly output?: unknown };
  readonly input?: unknown;
  readonly output?: unknown;
  readonly Error?: string;
  readonly Cause?: unknown;
}

interface HistoryEvent {
  readonly type: string;
  readonly details: Record<string, unknown>;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** The AWS history events one interpreter event stands for. `stateType` is the state's type in the original definition. */
export function historyEventsOf(event: InterpreterEvent, stateType: string | undefined, withData: boolean): HistoryEvent[] {
  const data = (key: 'input' | 'output', value: unknown) => (withData ? { [key]: text(value), [`${key}Details`]: { truncated: false } } : {});
  const state = event.state;
  switch (event.type) {
    case 'ExecutionStarted':
      return [{ type: 'ExecutionStarted', details: { ...data('input', event.input), roleArn: '' } }];
    case 'ExecutionSucceeded':
      return [{ type: 'ExecutionSucceeded', details: data('output', event.output) }];
    case 'ExecutionFailed':
      return [{ type: 'ExecutionFailed', details: { error: event.Error ?? '', cause: text(event.Cause) } }];
    case 'ExecutionTerminated':
      return [{ type: 'ExecutionAborted', details: {} }];
    case 'StateEntered': {
      const entered = { type: `${stateType}StateEntered`, details: { name: state?.name, ...data('input', state?.input) } };
      if (stateType !== 'Task') return [entered];
      const resource = { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1' };
      return [
        entered,
        { type: 'TaskScheduled', details: { ...resource, ...(withData && { parameters: text(state?.input) }) } },
        { type: 'TaskStarted', details: resource },
      ];
    }
    case 'StateExited': {
      if (stateType === 'Fail') return [];
      const exited = { type: `${stateType}StateExited`, details: { name: state?.name, ...data('output', state?.output) } };
      return stateType === 'Task'
        ? [{ type: 'TaskSucceeded', details: { resourceType: 'lambda', resource: 'invoke', ...data('output', state?.output) } }, exited]
        : [exited];
    }
    case 'StateFailed':
      return stateType === 'Task' ? [{ type: 'TaskFailed', details: { error: event.Error ?? '', cause: text(event.Cause) } }] : [];
    default:
      return [];
  }
}

// CloudWatch Logs counts each log event's message in UTF-8 plus 26 bytes.
const PER_EVENT_OVERHEAD_BYTES = 26;

/**
 * Counts the bytes one execution's logging would deliver, event by event.
 *
 * @example
 * const logs = new ExecutionLogMeter(loggingSpec(props.LoggingConfiguration), arn, (name) => types.get(name));
 * for await (const event of handle.eventLogs) logs.add(event);
 */
export class ExecutionLogMeter {
  private id = 0;
  bytes = 0;

  constructor(
    private readonly logging: LoggingSpec,
    private readonly executionArn: string,
    private readonly stateTypeOf: (stateName: string) => string | undefined,
  ) {}

  get enabled(): boolean {
    return this.logging.level !== 'OFF';
  }

  add(event: InterpreterEvent): void {
    const stateType = event.state ? (this.stateTypeOf(event.state.name) ?? event.state.type) : undefined;
    for (const history of historyEventsOf(event, stateType, this.logging.includeExecutionData)) {
      this.id++;
      if (!admits(this.logging.level, history.type)) continue;
      const record = {
        id: String(this.id),
        type: history.type,
        details: history.details,
        previous_event_id: String(this.id - 1),
        event_timestamp: String(event.timestamp),
        execution_arn: this.executionArn,
        redrive_count: '0',
      };
      this.bytes += Buffer.byteLength(JSON.stringify(record)) + PER_EVENT_OVERHEAD_BYTES;
    }
  }
}
