/**
 * A send request: what a workflow or journey puts on the outreach queue when it wants a customer
 * to get an email. The message key is deterministic (e.g. journey run + step + customer), so a
 * request delivered any number of times produces at most one email.
 */
import { z } from 'zod';
import { identifier, topic } from '../events/fields.ts';
import { MESSAGE_KINDS } from '../events/types/system.ts';

export const SendRequestV1 = z
  .object({
    version: z.literal(1),
    // Both travel base64url-encoded in SES message tags (256 characters at most).
    messageKey: z.string().regex(/^[\x21-\x7e]{1,180}$/, { error: 'must be 1-180 printable characters without spaces' }),
    customerId: z.string().regex(/^[\x21-\x7e]{1,140}$/, { error: 'must be a customer id' }),
    template: identifier,
    kind: z.enum(MESSAGE_KINDS),
    /** Required for marketing: the consent topic the email belongs to. */
    topic: topic.optional(),
    variables: z.record(z.string(), z.unknown()).default({}),
    /** A journey's own frequency cap; the deployment's otherwise. */
    frequencyCap: z.object({ max: z.number().int().min(1).max(100), windowDays: z.number().int().min(1).max(90) }).optional(),
    /** Who asked, for metrics: a journey and its step, or a workflow. */
    origin: z.object({ journey: z.string().max(100).optional(), version: z.number().int().optional(), step: z.string().max(100).optional(), workflow: z.string().max(100).optional() }).optional(),
  })
  .refine((request) => request.kind !== 'marketing' || request.topic !== undefined, { error: 'a marketing email needs a topic', path: ['topic'] });

export type SendRequest = z.output<typeof SendRequestV1>;
export type SendRequestInput = z.input<typeof SendRequestV1>;
