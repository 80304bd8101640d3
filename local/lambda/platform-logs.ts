/**
 * The lines Lambda itself writes to a function's log group for every invocation — START, END and
 * REPORT in the text format; platform.start and platform.report records in the JSON format — which
 * CloudWatch Logs bills like the function's own output. Their size depends only on the format,
 * the tracing mode and the figures they carry, so each is built here as Lambda writes it.
 */
import { randomUUID } from 'node:crypto';

export type LogFormat = 'Text' | 'JSON';

export interface PlatformLogSpec {
  readonly format: LogFormat;
  /** Active tracing adds the trace's ids to the report. */
  readonly tracing: boolean;
  readonly memoryMb: number;
}

// CloudWatch Logs counts each log event's message in UTF-8 plus 26 bytes.
const PER_EVENT_OVERHEAD_BYTES = 26;

const TRACE = { root: '1-67890abc-0123456789abcdef01234567', segment: '0123456789abcdef' };

/** The platform lines of one invocation that ran `durationMs`, as Lambda writes them. */
export function platformLines(spec: PlatformLogSpec, durationMs: number): string[] {
  const requestId = randomUUID();
  const time = new Date(0).toISOString();
  const billed = Math.ceil(durationMs);
  const maxUsed = Math.min(spec.memoryMb, 96);
  if (spec.format === 'JSON') {
    const tracing = spec.tracing
      ? { tracing: { spanId: TRACE.segment, type: 'X-Amzn-Trace-Id', value: `Root=${TRACE.root};Parent=${TRACE.segment};Sampled=1` } }
      : {};
    return [
      JSON.stringify({ time, type: 'platform.start', record: { requestId, version: '$LATEST', ...tracing } }),
      JSON.stringify({
        time,
        type: 'platform.report',
        record: {
          requestId,
          metrics: { durationMs: Number(durationMs.toFixed(2)), billedDurationMs: billed, memorySizeMB: spec.memoryMb, maxMemoryUsedMB: maxUsed },
          ...tracing,
          status: 'success',
        },
      }),
    ];
  }
  const xray = spec.tracing ? `\nXRAY TraceId: ${TRACE.root}\tSegmentId: ${TRACE.segment}\tSampled: true` : '';
  return [
    `START RequestId: ${requestId} Version: $LATEST`,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${spec.memoryMb} MB\tMax Memory Used: ${maxUsed} MB\t${xray}`,
  ];
}

/** The bytes CloudWatch Logs bills for one invocation's platform lines. */
export function platformLogBytes(spec: PlatformLogSpec, durationMs: number): number {
  return platformLines(spec, durationMs).reduce((sum, line) => sum + Buffer.byteLength(line) + PER_EVENT_OVERHEAD_BYTES, 0);
}
