/**
 * Timeline entries: one item per recorded event. Large payloads are stored packed, so that a
 * typical entry stays under 1 KB and costs one write unit.
 */
import type { DetailType } from '../events/catalog.ts';
import type { Stage } from '../stages/stages.ts';
import { pack, unpack } from './packing.ts';
import { TTL_ATTRIBUTE, timelineKey } from './table-design.ts';

export interface TimelineEntry {
  readonly customerId: string;
  readonly eventId: string;
  readonly detailType: DetailType;
  readonly source: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly version: number;
  readonly data: unknown;
  /** Present when the event moved the customer's stage. */
  readonly stageChange?: RecordedStageChange;
}

export interface RecordedStageChange {
  readonly from?: Stage;
  readonly to: Stage;
  readonly reason: string;
  /** When it took effect: the event's time, or the previous change's when the event came late (a late event moves the stage now, not in the past). */
  readonly at?: string;
  /** The profile version that made it: the order the changes were made in, whatever the order of the events' times. */
  readonly seq?: number;
}

/** One step of a customer's stage history. */
export interface StageStep {
  readonly at: string;
  readonly from?: Stage;
  readonly to: Stage;
  readonly reason: string;
}

/**
 * The stage changes on a timeline, in the order they were made, so each starts where the one
 * before it ended. The timeline is in the order events happened, which is not that order when an
 * event came late. Changes recorded before they carried their order come first, by time.
 */
export function stageHistoryOf(timeline: readonly TimelineEntry[]): StageStep[] {
  const changes = timeline.flatMap((entry) => (entry.stageChange ? [{ entry, change: entry.stageChange }] : []));
  const order = ({ change }: (typeof changes)[number]) => change.seq ?? -1;
  return changes
    .sort((a, b) => order(a) - order(b) || a.entry.occurredAt.localeCompare(b.entry.occurredAt))
    .map(({ entry, change }) => ({ at: change.at ?? entry.occurredAt, ...(change.from && { from: change.from }), to: change.to, reason: change.reason }));
}

const PACK_ABOVE_BYTES = 600;

export function toTimelineItem(entry: TimelineEntry, expiresAt: number): Record<string, unknown> {
  const { data, ...rest } = entry;
  const json = JSON.stringify(data ?? {});
  const payload = Buffer.byteLength(json) > PACK_ABOVE_BYTES ? { packedData: pack(data ?? {}) } : { data };
  return {
    ...timelineKey(entry.customerId, entry.occurredAt, entry.eventId),
    kind: 'event',
    ...rest,
    ...payload,
    [TTL_ATTRIBUTE]: expiresAt,
  };
}

export function fromTimelineItem(item: Record<string, unknown>): TimelineEntry {
  const { pk: _pk, sk: _sk, kind: _kind, packedData, data, [TTL_ATTRIBUTE]: _ttl, ...rest } = item;
  const decoded = packedData instanceof Uint8Array ? unpack(packedData) : data;
  return { ...(rest as Omit<TimelineEntry, 'data'>), data: decoded };
}
