/**
 * A send request: what a workflow or journey puts on the outreach queue when it wants a customer
 * to get an email. The message key is deterministic (e.g. journey run + step + customer), so a
 * request delivered any number of times produces at most one email.
 */
import * as z from 'zod';
import { identifier, timestamp, topic } from '../events/fields.ts';
import { SURVEY_KINDS } from '../events/types/retain.ts';
import { MESSAGE_KINDS } from '../events/types/system.ts';

/**
 * What the sender adds to the variables at send time: signed one-click survey links
 * (`surveyLinks`), product recommendations for the customer (`recommendations`), variables read
 * from the profile (`fromProfile`: variable name → dotted path, e.g. `orderHistory.lastItems.0`),
 * and a signed link to the preference page (`preferencesLink`).
 */
export const Personalize = z.strictObject({
  survey: z.strictObject({ surveyId: identifier, kind: z.enum(SURVEY_KINDS) }).optional(),
  recommendations: z
    .strictObject({
      /** Products to recommend alongside (a cart's, a viewed one); the customer's purchases when absent. */
      basedOn: z.union([identifier, z.array(identifier).max(50)]).optional(),
      limit: z.number().int().min(1).max(6).default(3),
    })
    .optional(),
  fromProfile: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.string().regex(/^[A-Za-z0-9_.]{1,100}$/)).optional(),
  /** A signed link to the customer's preference page (`preferencesUrl`), for a transactional email that says how to withdraw consent; marketing email has one always. */
  preferencesLink: z.literal(true).optional(),
});
export type Personalize = z.output<typeof Personalize>;

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
    /** Variables the sender fills in from what it knows at send time (see personalize.ts). */
    personalize: Personalize.optional(),
    /** Set when the request was looked at once more for a new customer's profile to settle (decide.ts). */
    rechecked: z.literal(true).optional(),
    /**
     * Until when the email is news (a notice about an event): later it is skipped as `too-old`, so
     * a notice for an old event is counted with its reason rather than silently not asked for.
     */
    newsUntil: timestamp.optional(),
    /** Who asked, for metrics: a journey and its step, or a workflow. */
    origin: z
      .object({
        journey: z.string().max(100).optional(),
        version: z.number().int().optional(),
        step: z.string().max(100).optional(),
        workflow: z.string().max(100).optional(),
      })
      .optional(),
  })
  .refine((request) => request.kind !== 'marketing' || request.topic !== undefined, { error: 'a marketing email needs a topic', path: ['topic'] });

export type SendRequest = z.output<typeof SendRequestV1>;
export type SendRequestInput = z.input<typeof SendRequestV1>;
