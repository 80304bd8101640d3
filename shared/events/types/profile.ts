import * as z from 'zod';
import { line, storable, topic } from '../fields.ts';

/** Attribute names are what a template or segment refers to: keep them simple identifiers. */
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const ATTRIBUTE_NAME_ERROR = 'attribute names must be 1-64 letters, digits or _ starting with a letter';
const attributeName = z.string().regex(ATTRIBUTE_NAME, { error: ATTRIBUTE_NAME_ERROR });
const MAX_ATTRIBUTES = 50;

const attributeValue = z.union([line(500), storable(z.number()), z.boolean(), z.null()], {
  error: 'attribute values must be a string, a number, a boolean or null',
});

const attributeRecord = z
  .record(attributeName, attributeValue)
  .refine((attributes) => Object.keys(attributes).length >= 1 && Object.keys(attributes).length <= MAX_ATTRIBUTES, {
    error: `must hold 1 to ${MAX_ATTRIBUTES} attributes`,
  })
  // The same rules in the published JSON Schema: draft-04 has no propertyNames, so a name that
  // breaks the rule matches a pattern no value satisfies.
  .meta({ minProperties: 1, maxProperties: MAX_ATTRIBUTES, patternProperties: { [`^(?!${ATTRIBUTE_NAME.source.slice(1)})`]: { not: {} } } });

/**
 * zod's records skip a key named `__proto__` without checking it (assigning it would replace the
 * result's prototype), so such an attribute would be dropped in silence where the published
 * schema refuses the name: refuse it here, before the record sees it. Typed with the record's
 * input, so that producers' types stay as they were.
 */
function refuseProtoKey(value: z.input<typeof attributeRecord>, context: z.core.$RefinementCtx): z.input<typeof attributeRecord> {
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    context.addIssue({ code: 'custom', message: ATTRIBUTE_NAME_ERROR, path: ['__proto__'], input: value });
  }
  return value;
}

export const profileUpdatedV1 = z.object({
  attributes: z.preprocess(refuseProtoKey, attributeRecord),
});

export const consentUpdatedV1 = z.object({
  channel: z.literal('email', { error: 'must be email' }),
  topic: topic.optional(),
  subscribed: z.boolean({ error: 'must be true or false' }),
  /** Where the customer said it: `preference-page`, `one-click` (the system's own), or the sender's word (`support-call`, `import`, …). */
  via: line(64).optional(),
  /** The version of the wording the customer saw when they said it (kept on the consent ledger as proof). */
  wordingVersion: line(64).optional(),
});
