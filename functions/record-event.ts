/**
 * Validates an event delivered to a stage workflow and records it on the customer's profile.
 * Input: the EventBridge event. Output: what the workflow needs to announce a stage change, and
 * the notices (emails) the event calls for at once.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { InvalidEventError } from '#shared/errors.ts';
import { parseEvent } from '#shared/events/parse.ts';
import { countNotActed } from '#shared/decisions.ts';
import { logger } from '#shared/logger.ts';
import { recordEvent, type RecordDeps } from '#shared/profile/record-event.ts';
import type { StageChangedDetail } from '#shared/profile/stage-change.ts';
import type { SendRequestInput } from '#shared/outreach/request.ts';
import { noticesFor } from '#shared/stages/notices.ts';

const env = config();
const deps: RecordDeps = {
  ddb: documentClient(),
  tableName: required(EnvVars.ProfileTable),
  clock: () => new Date(),
  timelineRetentionDays: env[EnvVars.TimelineRetentionDays],
};
const noticeSettings = { brandUrl: env[EnvVars.BrandUrl] };

const eventBridgeEvent = z.object({ 'detail-type': z.unknown(), source: z.unknown(), detail: z.unknown() });

export interface RecordResult {
  readonly status: 'recorded' | 'duplicate' | 'erased';
  readonly customerId: string;
  /** True when the workflow should put `stageChanged` on the bus. */
  readonly announce: boolean;
  readonly stageChanged: StageChangedDetail | null;
  /** Send requests for the outreach queue (sent again for a duplicate: the sender sends each once). */
  readonly sends: readonly SendRequestInput[];
}

async function recordHandler(input: unknown): Promise<RecordResult> {
  const envelope = eventBridgeEvent.safeParse(input);
  const parsed = envelope.success
    ? parseEvent({ detailType: envelope.data['detail-type'], source: envelope.data.source, detail: envelope.data.detail })
    : ({ ok: false, reason: 'input must be an EventBridge event' } as const);
  if (!parsed.ok) {
    logger.warn('event rejected', { reason: parsed.reason });
    countNotActed('not-recorded', 'invalid-event');
    throw new InvalidEventError(parsed.reason);
  }
  const { detailType } = parsed.event;
  const outcome = await recordEvent(deps, parsed.event);
  if (outcome.status === 'rejected') {
    logger.warn('event rejected', { detailType, reason: outcome.reason });
    countNotActed('not-recorded', 'timing');
    throw new InvalidEventError(outcome.reason);
  }
  if (outcome.status === 'erased') {
    // A decision not to act, counted by its reason: the person asked to be forgotten after this event.
    logger.info('event not recorded', { detailType, reason: 'customer-erased' });
    countNotActed('not-recorded', 'customer-erased');
    return { status: outcome.status, customerId: outcome.customerId, announce: false, stageChanged: null, sends: [] };
  }
  const stageChanged = outcome.stageChanged ?? null;
  if (outcome.status === 'duplicate') {
    logger.info('duplicate event ignored', { detailType, customerId: outcome.customerId });
    countNotActed('not-recorded', 'duplicate');
  } else {
    logger.info('event recorded', {
      detailType,
      customerId: outcome.customerId,
      stage: outcome.stage.stage,
      stageChanged: outcome.stage.changed,
      merged: outcome.merged.length,
      writeUnits: outcome.writeUnits,
      // New attribute names beyond the profile's bound are not kept: counted here, so that it shows.
      ...(outcome.attributesNotKept > 0 && { attributesNotKept: outcome.attributesNotKept }),
    });
  }
  const sends = noticesFor(parsed.event, outcome.customerId, noticeSettings);
  return { status: outcome.status, customerId: outcome.customerId, announce: stageChanged !== null, stageChanged, sends };
}

export const handler = middy(recordHandler).use(injectLambdaContext(logger));
