import * as z from 'zod';
import { line, topic, utm } from '../fields.ts';

const channel = line(50);

export const leadCapturedV1 = z.object({
  channel,
  campaign: line(200).optional(),
  utm: utm.optional(),
  consent: z
    .object({
      email: z.boolean({ error: 'must be true or false' }),
      topics: z.array(topic).max(20).optional(),
      /** The version of the consent wording the form showed (kept on the consent ledger as proof). */
      wordingVersion: line(64).optional(),
    })
    .optional(),
});

export const campaignTouchedV1 = z.object({
  channel,
  campaign: line(200).optional(),
  utm: utm.optional(),
});
