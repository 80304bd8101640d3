/**
 * The typed emitter business systems use to put events on the bus. It validates every event
 * against the catalog before sending any, batches up to 10 entries (and 256 KB) a call, and
 * re-sends the entries PutEvents reports as failed, a bounded number of times.
 *
 * @example
 * const emitter = createEmitter({ client: new EventBridgeClient({}), eventBusName: 'lifecycle-prod', source: 'com.example.shop' });
 * await emitter.emit([{ detailType: 'order.placed', detail: { customer: { id: 'c-123' }, data: { orderId: 'o-1', items, total: 42, currency: 'EUR' } } }]);
 */
import { randomUUID } from 'node:crypto';
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DetailType, EventDetailInput } from './catalog.ts';
import { parseEvent } from './parse.ts';

/** A detail as a producer writes it; `eventId` and `occurredAt` are filled in when left out. */
type WithOptionalIdentity<D> = D extends unknown ? Omit<D, 'eventId' | 'occurredAt'> & { eventId?: string; occurredAt?: string } : never;
export type EmitDetail<T extends DetailType> = WithOptionalIdentity<EventDetailInput<T>>;

export type EmitInput = { [T in DetailType]: { readonly detailType: T; readonly detail: EmitDetail<T> } }[DetailType];

export interface EmitterOptions {
  readonly client: EventBridgeClient;
  readonly eventBusName: string;
  /** The `Source` of every event, naming the emitting system, e.g. `com.example.shop`. */
  readonly source: string;
  /** Attempts per entry, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** Waits between attempts; tests pass one that returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

export interface EmitResult {
  readonly sent: number;
  /** The `eventId` of each event, in input order. */
  readonly eventIds: readonly string[];
}

export interface Rejection {
  readonly index: number;
  readonly detailType: string;
  readonly reason: string;
}

export interface FailedEntry {
  readonly index: number;
  readonly detailType: string;
  readonly eventId: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** Nothing was sent: at least one event breaks the contract. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(readonly rejections: readonly Rejection[]) {
    super(`${rejections.length} event(s) rejected before sending: ${rejections.map((r) => `#${r.index} ${r.detailType}: ${r.reason}`).join(' | ')}`);
  }
}

/** Some events could not be put on the bus after every attempt; the others were. */
export class EmitError extends Error {
  override readonly name = 'EmitError';
  constructor(
    readonly failed: readonly FailedEntry[],
    readonly sent: number,
    readonly attempts: number,
  ) {
    super(
      `${failed.length} event(s) not sent after ${attempts} attempt(s) (${sent} sent): ` +
        failed.map((f) => `#${f.index} ${f.detailType} ${f.eventId}: ${f.errorCode} ${f.errorMessage}`).join(' | '),
    );
  }
}

export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BYTES_PER_CALL = 256 * 1024;
/** Entry error codes that no retry can fix. */
const PERMANENT_ERRORS = new Set(['MalformedDetail', 'InvalidArgument', 'AccessDeniedException', 'NotAuthorizedForSourceException']);

interface Prepared {
  readonly index: number;
  readonly eventId: string;
  readonly detailType: string;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

/** Size as EventBridge counts it: source, detail-type, detail and a fixed 14 bytes for the time. */
function entrySize(entry: PutEventsRequestEntry): number {
  return 14 + Buffer.byteLength(entry.Source ?? '') + Buffer.byteLength(entry.DetailType ?? '') + Buffer.byteLength(entry.Detail ?? '');
}

/** Groups entries into calls of at most 10 entries and 256 KB. */
function batches(prepared: readonly Prepared[]): Prepared[][] {
  const out: Prepared[][] = [];
  let current: Prepared[] = [];
  let bytes = 0;
  for (const item of prepared) {
    if (current.length === MAX_ENTRIES_PER_CALL || bytes + item.bytes > MAX_BYTES_PER_CALL) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The options with their defaults filled in. */
type Settings = Required<EmitterOptions>;

/** Validates and stamps each event; throws, sending nothing, if any breaks the contract or is too large. */
function prepare(settings: Settings, events: readonly EmitInput[]): Prepared[] {
  const rejections: Rejection[] = [];
  const prepared: Prepared[] = [];
  events.forEach((event, index) => {
    const detail = { eventId: settings.newId(), occurredAt: settings.clock().toISOString(), ...event.detail };
    const parsed = parseEvent({ detailType: event.detailType, source: settings.source, detail });
    if (!parsed.ok) {
      rejections.push({ index, detailType: String(event.detailType), reason: parsed.reason });
      return;
    }
    const entry: PutEventsRequestEntry = {
      EventBusName: settings.eventBusName,
      Source: settings.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(detail),
      Time: new Date(detail.occurredAt),
    };
    const bytes = entrySize(entry);
    if (bytes > MAX_BYTES_PER_CALL) {
      rejections.push({ index, detailType: event.detailType, reason: `entry is ${bytes} bytes; the limit is ${MAX_BYTES_PER_CALL}` });
      return;
    }
    prepared.push({ index, eventId: detail.eventId, detailType: event.detailType, entry, bytes });
  });
  if (rejections.length > 0) throw new EventValidationError(rejections);
  return prepared;
}

type EntryError = { errorCode: string; errorMessage: string };

/** One PutEvents call: the entries to try again, each with its error, and those refused for good. */
async function putOnce(
  settings: Settings,
  pending: readonly Prepared[],
  lastErrors: Map<number, EntryError>,
): Promise<{ retry: Prepared[]; permanent: FailedEntry[] }> {
  const retry: Prepared[] = [];
  const permanent: FailedEntry[] = [];
  try {
    const response = await settings.client.send(new PutEventsCommand({ Entries: pending.map((item) => item.entry) }));
    const results = response.Entries ?? [];
    pending.forEach((item, position) => {
      const result = results[position];
      if (result?.EventId && !result.ErrorCode) return;
      const error = { errorCode: result?.ErrorCode ?? 'MissingResult', errorMessage: result?.ErrorMessage ?? 'no result for this entry' };
      if (PERMANENT_ERRORS.has(error.errorCode)) {
        permanent.push({ index: item.index, detailType: item.detailType, eventId: item.eventId, ...error });
      } else {
        lastErrors.set(item.index, error);
        retry.push(item);
      }
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    for (const item of pending) lastErrors.set(item.index, { errorCode: name, errorMessage: message });
    retry.push(...pending);
  }
  return { retry, permanent };
}

/** Sends one batch, re-sending failed entries with jittered backoff; returns those that failed for good. */
async function sendBatch(settings: Settings, batch: readonly Prepared[]): Promise<FailedEntry[]> {
  let pending = [...batch];
  const permanent: FailedEntry[] = [];
  let lastErrors = new Map<number, EntryError>();
  for (let attempt = 1; attempt <= settings.maxAttempts && pending.length > 0; attempt++) {
    if (attempt > 1) await settings.sleep(Math.random() * 100 * 2 ** (attempt - 1));
    lastErrors = new Map();
    const sent = await putOnce(settings, pending, lastErrors);
    permanent.push(...sent.permanent);
    pending = sent.retry;
  }
  const exhausted = pending.map((item) => ({
    index: item.index,
    detailType: item.detailType,
    eventId: item.eventId,
    ...(lastErrors.get(item.index) ?? { errorCode: 'Unknown', errorMessage: 'not sent' }),
  }));
  return [...permanent, ...exhausted];
}

export function createEmitter(options: EmitterOptions) {
  const maxAttempts = options.maxAttempts ?? 4;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be a whole number of at least 1');
  const settings: Settings = {
    ...options,
    maxAttempts,
    sleep: options.sleep ?? defaultSleep,
    clock: options.clock ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
  };

  return {
    /**
     * Validates and sends events. Nothing is sent if any event is invalid.
     *
     * @throws EventValidationError when an event breaks the contract (nothing sent)
     * @throws EmitError when some events could not be sent after every attempt
     */
    async emit(events: readonly EmitInput[]): Promise<EmitResult> {
      const prepared = prepare(settings, events);
      const failed: FailedEntry[] = [];
      for (const batch of batches(prepared)) failed.push(...(await sendBatch(settings, batch)));
      if (failed.length > 0)
        throw new EmitError(
          failed.sort((a, b) => a.index - b.index),
          prepared.length - failed.length,
          maxAttempts,
        );
      return { sent: prepared.length, eventIds: prepared.map((item) => item.eventId) };
    },
  };
}

export type Emitter = ReturnType<typeof createEmitter>;
