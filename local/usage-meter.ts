/**
 * What the local cloud counts of everything AWS would bill for, so that a workload run here can be
 * priced: EventBridge entries (in 64 KB chunks), Scheduler invocations, SQS requests, DynamoDB
 * read and write units (as the table reports them, with the index writes it does not report), by
 * caller. Lambda, Step Functions and SES keep their own counts; `LocalCloud.usage()` adds them.
 */

const CHUNK_BYTES = 64 * 1024;

export interface DynamoUsage {
  requests: number;
  readUnits: number;
  writeUnits: number;
  /** Writes to global secondary indexes: billed like table writes, not in ConsumedCapacity. */
  indexWriteUnits: number;
  /** Conditional writes that failed: they still consume a write unit. */
  conditionalFailures: number;
}

export interface MeteredUsage {
  /** `eventBytes`: the entries as whole events (envelope and detail), as an archive stores them. */
  readonly eventBridge: { putEventsEntries: number; putEventsChunks: number; eventBytes: number };
  readonly scheduler: { invocations: number };
  readonly sqs: { requests: number };
  readonly dynamodb: DynamoUsage & { readonly byCaller: Readonly<Record<string, DynamoUsage>> };
}

const emptyDynamo = (): DynamoUsage => ({ requests: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, conditionalFailures: 0 });

/** The chunks EventBridge bills an entry as: its Source, DetailType, Detail and Resources, per 64 KB. */
export function eventEntryChunks(entry: Record<string, unknown>): number {
  const resources = Array.isArray(entry.Resources) ? entry.Resources.map(String).join('') : '';
  const bytes = Buffer.byteLength(`${String(entry.Source ?? '')}${String(entry.DetailType ?? '')}${String(entry.Detail ?? '')}${resources}`);
  return Math.max(1, Math.ceil(bytes / CHUNK_BYTES));
}

/** An entry's size as the event EventBridge makes of it (the envelope's fields with their usual lengths). */
export function eventBytes(entry: Record<string, unknown>): number {
  const detail = typeof entry.Detail === 'string' ? entry.Detail : '{}';
  const envelope = {
    version: '0',
    id: '00000000-0000-0000-0000-000000000000',
    'detail-type': String(entry.DetailType ?? ''),
    source: String(entry.Source ?? ''),
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: Array.isArray(entry.Resources) ? entry.Resources : [],
  };
  // The detail goes in as it was sent: its bytes, not a re-serialisation.
  return Buffer.byteLength(JSON.stringify(envelope)) + Buffer.byteLength(',"detail":') + Buffer.byteLength(detail);
}

export class UsageMeter {
  private readonly eventBridge = { putEventsEntries: 0, putEventsChunks: 0, eventBytes: 0 };
  private readonly scheduler = { invocations: 0 };
  private readonly sqs = { requests: 0 };
  private readonly dynamo = emptyDynamo();
  private readonly dynamoByCaller = new Map<string, DynamoUsage>();

  /** PutEvents entries accepted onto a bus (failed entries are not billed). */
  putEvents(entries: readonly Record<string, unknown>[]): void {
    this.eventBridge.putEventsEntries += entries.length;
    for (const entry of entries) {
      this.eventBridge.putEventsChunks += eventEntryChunks(entry);
      this.eventBridge.eventBytes += eventBytes(entry);
    }
  }

  schedulerInvocation(): void {
    this.scheduler.invocations++;
  }

  sqsRequests(count = 1): void {
    this.sqs.requests += count;
  }

  /** One DynamoDB call by `caller` (a function's name, or `step-functions`, or `client`). */
  dynamoCall(caller: string, usage: Partial<DynamoUsage>): void {
    const byCaller = this.dynamoByCaller.get(caller) ?? emptyDynamo();
    this.dynamoByCaller.set(caller, byCaller);
    for (const totals of [this.dynamo, byCaller]) {
      totals.requests++;
      totals.readUnits += usage.readUnits ?? 0;
      totals.writeUnits += usage.writeUnits ?? 0;
      totals.indexWriteUnits += usage.indexWriteUnits ?? 0;
      totals.conditionalFailures += usage.conditionalFailures ?? 0;
    }
  }

  snapshot(): MeteredUsage {
    return {
      eventBridge: { ...this.eventBridge },
      scheduler: { ...this.scheduler },
      sqs: { ...this.sqs },
      dynamodb: { ...this.dynamo, byCaller: Object.fromEntries([...this.dynamoByCaller].map(([caller, usage]) => [caller, { ...usage }])) },
    };
  }
}
