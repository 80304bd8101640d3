/**
 * How Lambda consumes a queue: a poller per event source mapping receives batches and invokes the
 * function with them. It wakes on the queue's events (a message became visible, a batch finished,
 * the batching window closed on the virtual clock), never on a loop, so an idle queue costs nothing.
 */
import type { ActivityLog } from '#local/activity-log.ts';
import type { Clock } from '#local/clock.ts';
import { toLambdaRecord, type SqsLambdaEvent } from '#local/sqs/lambda-event.ts';
import type { ReceivedMessage } from '#local/sqs/message.ts';
import type { Queue } from '#local/sqs/queue.ts';
import type { UsageMeter } from '../usage-meter.ts';

export interface EventSourceMapping {
  readonly queueArn: string;
  readonly functionName: string;
  /** 1..10000 (AWS default 10). */
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds?: number;
  /** FunctionResponseTypes includes ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
  /** @default 5 */
  readonly maximumConcurrency?: number;
  /** Invokes the function synchronously with an SQS event; resolves with its result, rejects when the invocation fails. */
  readonly invoke: (event: SqsLambdaEvent) => Promise<unknown>;
}

export const DEFAULT_MAXIMUM_CONCURRENCY = 5;

/** Which records a function reported as failed, or `all` when its answer does not parse as AWS requires. */
export function failedItems(response: unknown, messageIds: ReadonlySet<string>): ReadonlySet<string> | 'all' {
  // No answer, or an answer without a failure list, is a complete success.
  if (response === undefined || response === null) return new Set();
  if (typeof response !== 'object' || Array.isArray(response)) return 'all';
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id: unknown = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    // An empty, missing or unknown identifier fails the whole batch, as in AWS.
    if (typeof id !== 'string' || !messageIds.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}

export interface PollerDeps {
  readonly clock: Clock;
  readonly log: ActivityLog;
  readonly region: string;
  /** Counts the requests Lambda's poller makes: a receive per batch, a delete for what succeeded. */
  readonly meter?: UsageMeter;
}

export class EventSourcePoller {
  private batchesInFlight = 0;
  private pumpQueued = false;
  private closed = false;
  /** Cancels the batching window's timer while one runs. */
  private cancelWindow: (() => void) | undefined;
  private windowClosed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly queue: Queue,
    private readonly mapping: EventSourceMapping,
    private readonly deps: PollerDeps,
  ) {
    this.unsubscribe = queue.onAvailable(() => this.schedulePump());
    this.schedulePump();
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.cancelWindow?.();
    this.cancelWindow = undefined;
  }

  /**
   * Pumps on a microtask, so messages sent together in one synchronous run are seen together and
   * share a batch rather than each waking the poller alone.
   */
  private schedulePump(): void {
    if (this.pumpQueued || this.closed) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private get maximumConcurrency(): number {
    return this.mapping.maximumConcurrency ?? DEFAULT_MAXIMUM_CONCURRENCY;
  }

  private pump(): void {
    while (!this.closed && this.batchesInFlight < this.maximumConcurrency) {
      const waiting = this.queue.counts().visible;
      if (waiting === 0 || !this.readyFor(waiting)) return;
      const batch = this.queue.receive(this.mapping.batchSize);
      this.windowClosed = false;
      if (batch.length > 0) this.deps.meter?.sqsRequests();
      // FIFO groups in flight can hold back visible messages: wait for the next event then.
      if (batch.length === 0) return;
      this.batchesInFlight += 1;
      void this.deliver(batch).finally(() => {
        this.batchesInFlight -= 1;
        this.schedulePump();
      });
    }
  }

  /** A full batch goes at once; a smaller one waits out the batching window on the virtual clock. */
  private readyFor(waiting: number): boolean {
    const windowSeconds = this.mapping.maximumBatchingWindowSeconds ?? 0;
    if (waiting >= this.mapping.batchSize || windowSeconds <= 0 || this.windowClosed) {
      this.cancelWindow?.();
      this.cancelWindow = undefined;
      return true;
    }
    this.cancelWindow ??= this.deps.clock.at(this.deps.clock.now() + windowSeconds * 1000, () => {
      this.cancelWindow = undefined;
      this.windowClosed = true;
      this.schedulePump();
    });
    return false;
  }

  private async deliver(batch: ReceivedMessage[]): Promise<void> {
    const { queueArn, functionName } = this.mapping;
    const event: SqsLambdaEvent = { Records: batch.map((received) => toLambdaRecord(received, queueArn, regionOf(queueArn, this.deps.region))) };
    const started = performance.now();
    const record = (outcome: string, detail: string) =>
      this.deps.log.record({ what: 'sqs.delivery', resource: functionName, outcome, durationMs: performance.now() - started, detail });
    let response: unknown;
    try {
      response = await this.mapping.invoke(event);
    } catch (error) {
      // The messages stay in flight and come back after the visibility timeout, counting a receive.
      return record('failed', `${messages(batch.length)}: ${error instanceof Error ? error.name : 'error'}`);
    }
    const failed = this.mapping.reportBatchItemFailures
      ? failedItems(response, new Set(batch.map((received) => received.message.messageId)))
      : new Set<string>();
    if (failed === 'all') return record('failed', `${messages(batch.length)}: invalid batchItemFailures response`);
    for (const received of batch) if (!failed.has(received.message.messageId)) this.queue.delete(received.receiptHandle);
    if (failed.size < batch.length) this.deps.meter?.sqsRequests();
    if (failed.size === 0) record('ok', messages(batch.length));
    else record('partial', `${failed.size} of ${messages(batch.length)} failed`);
  }
}

const messages = (count: number): string => `${count} ${count === 1 ? 'message' : 'messages'}`;

/** The region in a queue's ARN, which is where Lambda says the record came from. */
function regionOf(arn: string, fallback: string): string {
  return arn.split(':')[3] || fallback;
}
