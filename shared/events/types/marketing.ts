import * as z from 'zod';
import { customerId, identifier } from '../fields.ts';

export const journeyLaunchRequestedV1 = z
  .object({
    launchId: identifier,
    journey: identifier,
    segment: identifier.optional(),
    customerIds: z.array(customerId).min(1).max(1000, { error: 'must list at most 1,000 customers; use a segment for more' }).optional(),
  })
  .refine((data) => data.segment !== undefined || data.customerIds !== undefined, {
    error: 'needs a segment or customerIds',
  })
  // The same rule in the published JSON Schema, which cannot carry a refinement.
  .meta({ anyOf: [{ required: ['segment'] }, { required: ['customerIds'] }] });
