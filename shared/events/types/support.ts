import * as z from 'zod';
import { identifier, line, text } from '../fields.ts';

export const SUPPORT_CHANNELS = ['email', 'chat', 'phone', 'web'] as const;

export const supportRequestedV1 = z.object({
  requestId: identifier,
  channel: z.enum(SUPPORT_CHANNELS, { error: `must be one of ${SUPPORT_CHANNELS.join(', ')}` }),
  subject: line(300).optional(),
  message: text(10_000),
});

export const supportResolvedV1 = z.object({
  requestId: identifier,
  resolution: text(2_000).optional(),
  /** Who answered: the knowledge base (the system resolved it) or an agent. */
  answeredBy: z.enum(['knowledge-base', 'agent'], { error: 'must be knowledge-base or agent' }).optional(),
});
