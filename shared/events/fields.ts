/**
 * Field schemas shared by the event catalog. Every string that reaches the system is bounded in
 * length and free of control characters, so a hostile producer cannot smuggle header breaks or
 * terminal escapes into emails, logs or the profile store.
 */
import * as z from 'zod';

const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
// Free text (support messages, comments) may hold line breaks and tabs, nothing else below 0x20.
const NO_CONTROL_CHARACTERS_BUT_WHITESPACE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/** A single line of text: no control characters, 1..max characters. */
export const line = (max: number) =>
  z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(NO_CONTROL_CHARACTERS, { error: 'must not contain control characters' });

/** Free text that may span lines. */
export const text = (max: number) =>
  z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(NO_CONTROL_CHARACTERS_BUT_WHITESPACE, { error: 'must not contain control characters' });

/**
 * An identifier chosen by a business system (order, cart, product, request ids): printable ASCII
 * without spaces, so it is safe in keys, URLs and execution names.
 */
export const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/, {
  error: 'must be 1-128 characters of letters, digits and . _ : @ + - (starting with a letter or digit)',
});

/** Prefixes of the ids the system gives to customers it knows only by an anonymous id or an email. */
export const PROVISIONAL_ID_PREFIXES = ['anon:', 'email:'] as const;

/** A customer id from a business system. The provisional prefixes are reserved for the system. */
export const customerId = identifier
  .refine((id) => !PROVISIONAL_ID_PREFIXES.some((prefix) => id.startsWith(prefix)), {
    error: `must not start with a reserved prefix (${PROVISIONAL_ID_PREFIXES.join(', ')})`,
  })
  // The same rule in the published JSON Schema, which cannot carry a refinement.
  .meta({ not: { pattern: `^(?:${PROVISIONAL_ID_PREFIXES.join('|')})` } });

/**
 * An address SES can send to: the published schema says `format: email`, and a domain label that
 * starts or ends with a hyphen is no host name (RFC 1035), so neither may it here.
 */
const EMAIL_ADDRESS = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

export const email = z.email({ pattern: EMAIL_ADDRESS, error: 'must be an email address' }).max(254, { error: 'must be at most 254 characters' });

export const timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' });

export const date = z.iso.date({ error: 'must be an ISO 8601 date (YYYY-MM-DD)' });

/** DynamoDB holds no magnitude below 1e-130 but 0; a write of one fails. */
const SMALLEST_STORABLE = 1e-130;
/** The DynamoDB document client refuses numbers beyond this (they would come back altered). */
const LARGEST_STORABLE = Number.MAX_SAFE_INTEGER;

/**
 * A number the profile store can hold, stated in the published schema as well: a producer's
 * `5e-324` or `1e300` would otherwise pass validation and then fail every write that carries it.
 */
export const storable = <T extends z.ZodNumber>(number: T) =>
  number
    .refine((n) => n === 0 || (Math.abs(n) >= SMALLEST_STORABLE && Math.abs(n) <= LARGEST_STORABLE), {
      error: `must be 0 or of a magnitude from ${SMALLEST_STORABLE} to ${LARGEST_STORABLE}`,
    })
    .meta({ anyOf: [{ enum: [0] }, { minimum: SMALLEST_STORABLE, maximum: LARGEST_STORABLE }, { minimum: -LARGEST_STORABLE, maximum: -SMALLEST_STORABLE }] });

export const money = storable(
  z.number({ error: 'must be a number' }).nonnegative({ error: 'must not be negative' }).max(1_000_000_000, { error: 'must be at most 1,000,000,000' }),
);

export const currency = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code such as EUR' });

export const quantity = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(10_000, { error: 'must be at most 10,000' });

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/**
 * A language, then optionally a script, a region and one variant (BCP 47 as Unicode locales have
 * it): the pattern is the whole rule, so the published schema states it exactly. `en-12` (no such
 * region) and `en-abc` (no extended languages) do not match; a second variant is not taken.
 */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))?$/;

export const locale = z
  .string()
  .regex(LOCALE, { error: 'must be a BCP 47 language tag such as ko-KR', abort: true })
  .refine(isLocale, { error: 'must be a BCP 47 language tag such as ko-KR' });

/** True when the runtime knows the IANA time zone. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timezone = z
  .string()
  .regex(/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'must be an IANA time zone such as Asia/Seoul', abort: true })
  .refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Seoul' })
  // A schema cannot list the zones the runtime knows without tying it to one Node release: said in words.
  .meta({ description: "A time zone of the IANA database (as the runtime's Intl knows it), such as Asia/Seoul." });

export const utm = z.object({
  source: line(200).optional(),
  medium: line(200).optional(),
  campaign: line(200).optional(),
});

export const lineItem = z.object({
  productId: identifier,
  name: line(200).optional(),
  category: line(100).optional(),
  quantity,
  price: money,
});

export const lineItems = z.array(lineItem).min(1, { error: 'must hold at least one item' }).max(100, { error: 'must hold at most 100 items' });

/** Consent topics a customer can subscribe to. Add topics here; never rename one. */
export const TOPICS = ['newsletter', 'offers', 'product-updates', 'surveys'] as const;
export type Topic = (typeof TOPICS)[number];
export const topic = z.enum(TOPICS, { error: `must be one of ${TOPICS.join(', ')}` });
