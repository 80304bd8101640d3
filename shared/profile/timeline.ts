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
  readonly stageChange?: { readonly from?: Stage; readonly to: Stage; readonly reason: string };
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
