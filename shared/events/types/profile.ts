import * as z from 'zod';
import { line, topic } from '../fields.ts';

/** Attribute names are what a template or segment refers to: keep them simple identifiers. */
const attributeName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'attribute names must be 1-64 letters, digits or _ starting with a letter' });

const attributeValue = z.union([line(500), z.number().finite(), z.boolean(), z.null()], {
  error: 'attribute values must be a string, a number, a boolean or null',
});

export const profileUpdatedV1 = z.object({
  attributes: z
    .record(attributeName, attributeValue)
    .refine((attributes) => Object.keys(attributes).length >= 1 && Object.keys(attributes).length <= 50, {
      error: 'must hold 1 to 50 attributes',
    }),
});

export const consentUpdatedV1 = z.object({
  channel: z.literal('email', { error: 'must be email' }),
  topic: topic.optional(),
  subscribed: z.boolean({ error: 'must be true or false' }),
});
