import * as z from 'zod';
import { identifier, line, text } from '../fields.ts';

export const SURVEY_KINDS = ['nps', 'csat'] as const;

/** NPS scores run 0-10, CSAT scores 1-5. */
export const surveyRespondedV1 = z
  .object({
    surveyId: identifier,
    kind: z.enum(SURVEY_KINDS, { error: `must be one of ${SURVEY_KINDS.join(', ')}` }),
    score: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }),
    comment: text(2_000).optional(),
  })
  .refine((data) => (data.kind === 'nps' ? data.score >= 0 && data.score <= 10 : data.score >= 1 && data.score <= 5), {
    error: 'score must be 0-10 for nps and 1-5 for csat',
    path: ['score'],
  })
  // The same rule in the published JSON Schema, which cannot carry a refinement.
  .meta({
    anyOf: [
      { properties: { kind: { enum: ['nps'] }, score: { minimum: 0, maximum: 10 } } },
      { properties: { kind: { enum: ['csat'] }, score: { minimum: 1, maximum: 5 } } },
    ],
  });

export const subscriptionV1 = z.object({
  plan: line(100),
  reason: line(200).optional(),
});
