/** Events the system itself emits, with Source `lifecycle`. */
import * as z from 'zod';
import { identifier, line, timestamp, topic } from '../fields.ts';
import { STAGES } from '../../stages/stages.ts';

const stage = z.enum(STAGES);

export const stageChangedV1 = z.object({
  from: stage.nullable(),
  to: stage,
  reason: line(300),
  cause: z.object({ eventId: identifier, detailType: line(100) }),
});

export const MESSAGE_KINDS = ['transactional', 'marketing'] as const;
export const SKIP_REASONS = [
  'unsubscribed',
  'no-consent',
  'suppressed',
  'capped',
  'deferred-quiet-hours',
  'no-email',
  'render-failed',
  /** A notice that is no longer news (its event is older than the notice's window): see shared/stages/notices.ts. */
  'too-old',
  /** The customer asked to be forgotten: nothing is sent, and nothing is written about them. */
  'erased',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

const message = {
  messageKey: line(300),
  template: identifier,
  kind: z.enum(MESSAGE_KINDS),
  topic: topic.optional(),
};

export const outreachSentV1 = z.object({ ...message, messageId: line(200) });

export const outreachSkippedV1 = z.object({ ...message, reason: z.enum(SKIP_REASONS) });

const emailFeedback = { messageId: line(200), messageKey: line(300).optional() };

export const emailDeliveredV1 = z.object(emailFeedback);
export const emailBouncedV1 = z.object({
  ...emailFeedback,
  bounceType: z.enum(['permanent', 'transient', 'undetermined']),
  /** The address is suppressed now: a permanent bounce, or the last soft bounce the limit allows. */
  suppressed: z.boolean().optional(),
});
export const emailComplainedV1 = z.object(emailFeedback);
export const emailOpenedV1 = z.object(emailFeedback);
export const emailClickedV1 = z.object({ ...emailFeedback, link: line(2000) });

export const SUPPORT_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export const supportEscalatedV1 = z.object({
  requestId: identifier,
  priority: z.enum(SUPPORT_PRIORITIES),
  slaDueAt: timestamp,
  reason: line(300).optional(),
  /** Whole hours the request waited before it reached the system, when it arrived a day or more late. */
  lateByHours: z.number().int().min(0).optional(),
});
