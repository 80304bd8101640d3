/**
 * The `customer.stage.changed` event a recorded event gives rise to. Its event id is derived from
 * the cause's, so announcing the same change twice (after a retry) is a duplicate downstream.
 */
import { createHash } from 'node:crypto';
import type { CatalogEvent, EventDetail } from '../events/catalog.ts';
import type { Stage } from '../stages/stages.ts';
import { customerRefOf } from './customer-ref.ts';
import type { Profile } from './profile.ts';

export type StageChangedDetail = EventDetail<'customer.stage.changed'>;

export interface StageChange {
  readonly from?: Stage;
  readonly to: Stage;
  readonly reason: string;
}

export function stageChangedDetail(cause: CatalogEvent, profile: Profile, change: StageChange): StageChangedDetail {
  return {
    version: 1,
    eventId: `stage-${createHash('sha256').update(cause.detail.eventId).digest('hex').slice(0, 32)}`,
    occurredAt: cause.detail.occurredAt,
    customer: customerRefOf(profile),
    data: {
      from: change.from ?? null,
      to: change.to,
      reason: change.reason.slice(0, 300),
      cause: { eventId: cause.detail.eventId, detailType: cause.detailType },
    },
  };
}
