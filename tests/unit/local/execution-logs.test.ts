import { describe, expect, it } from 'vitest';
import { ExecutionLogMeter, historyEventsOf, loggingSpec } from '#local/stepfunctions/execution-logs.ts';
import { platformLines, platformLogBytes } from '#local/lambda/platform-logs.ts';

const arn = 'arn:aws:states:us-east-1:000000000000:execution:journey:run-1';
const task = { name: 'Enter', type: 'Task', input: { secret: 'x'.repeat(100) }, output: { entered: true } };

/** One execution: start, a task, a choice, success. */
const execution = [
  { type: 'ExecutionStarted', timestamp: 1, input: { a: 1 } },
  { type: 'StateEntered', timestamp: 2, state: task },
  { type: 'StateExited', timestamp: 3, state: task },
  { type: 'StateEntered', timestamp: 4, state: { name: 'Entered?', type: 'Choice', input: {} } },
  { type: 'StateExited', timestamp: 5, state: { name: 'Entered?', type: 'Choice', input: {}, output: {} } },
  { type: 'ExecutionSucceeded', timestamp: 6, output: { done: true } },
];

function bytesAt(configuration: unknown): number {
  const meter = new ExecutionLogMeter(loggingSpec(configuration), arn, () => undefined);
  for (const event of execution) meter.add(event);
  return meter.bytes;
}

describe('Step Functions execution logs', () => {
  it("reads the template's logging configuration, OFF when there is none", () => {
    expect(loggingSpec(undefined)).toEqual({ level: 'OFF', includeExecutionData: false });
    expect(loggingSpec({ Level: 'ERROR', IncludeExecutionData: true })).toEqual({ level: 'ERROR', includeExecutionData: true });
  });

  it('writes a Task as AWS does: entered, scheduled, started, succeeded, exited', () => {
    const entered = historyEventsOf(execution[1]!, 'Task', false).map((each) => each.type);
    const exited = historyEventsOf(execution[2]!, 'Task', false).map((each) => each.type);
    expect([...entered, ...exited]).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
    // A Wait state runs as a task locally; its type in the template decides what is written.
    expect(historyEventsOf(execution[1]!, 'Wait', false).map((each) => each.type)).toEqual(['WaitStateEntered']);
  });

  it('logs every event at ALL, only failures at ERROR, nothing when OFF', () => {
    // 1 start + 5 for the task + 2 for the choice + 1 success = 9 records.
    const all = bytesAt({ Level: 'ALL' });
    expect(all).toBeGreaterThan(9 * (26 + arn.length));
    expect(bytesAt({ Level: 'ERROR' })).toBe(0);
    expect(bytesAt({ Level: 'OFF' })).toBe(0);
  });

  it('adds the input and output only when execution data is included', () => {
    const without = bytesAt({ Level: 'ALL', IncludeExecutionData: false });
    const withData = bytesAt({ Level: 'ALL', IncludeExecutionData: true });
    // The task's input (over 100 bytes) appears at least in TaskStateEntered and TaskScheduled.
    expect(withData - without).toBeGreaterThan(200);
  });

  it('logs a failed execution at ERROR and FATAL', () => {
    const meter = new ExecutionLogMeter(loggingSpec({ Level: 'FATAL' }), arn, () => undefined);
    meter.add({ type: 'ExecutionStarted', timestamp: 1, input: {} });
    expect(meter.bytes).toBe(0);
    meter.add({ type: 'ExecutionFailed', timestamp: 2, Error: 'States.TaskFailed', Cause: 'boom' });
    const record = {
      id: '2',
      type: 'ExecutionFailed',
      details: { error: 'States.TaskFailed', cause: 'boom' },
      previous_event_id: '1',
      event_timestamp: '2',
      execution_arn: arn,
      redrive_count: '0',
    };
    expect(meter.bytes).toBe(Buffer.byteLength(JSON.stringify(record)) + 26);
  });
});

describe("Lambda's own log lines", () => {
  it('writes START, END and REPORT in text, with the trace ids when tracing is active', () => {
    const lines = platformLines({ format: 'Text', tracing: true, memoryMb: 256 }, 12.3);
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['START', 'END', 'REPORT']);
    expect(lines[2]).toMatch(/Billed Duration: 13 ms\tMemory Size: 256 MB/);
    expect(lines[2]).toContain('XRAY TraceId');
  });

  it('writes platform.start and platform.report in JSON, and counts 26 bytes more per line', () => {
    const spec = { format: 'JSON', tracing: false, memoryMb: 128 } as const;
    const lines = platformLines(spec, 5);
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['platform.start', 'platform.report']);
    expect(platformLogBytes(spec, 5)).toBe(lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 26, 0));
  });
});
