import * as z from 'zod';
import { currency, date, identifier, line, lineItems, money, timestamp } from '../fields.ts';

/** A character of a URL's path, query or fragment (RFC 3986 `pchar`), or a percent-encoded byte. */
const URL_CHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
/**
 * An https link to a carrier's page, as a pattern so the published schema states the whole rule
 * (`format: uri` alone takes any scheme, and URL parsers differ at the edges): a host name of
 * labels that start with a letter and hold no double hyphen (no IP address, no punycode, which
 * parsers judge differently), an optional port, then an RFC 3986 path, query and fragment.
 */
const TRACKING_URL = new RegExp(
  `^https://(?:[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?::[1-9][0-9]{0,3})?(?:/${URL_CHAR}*)*(?:\\?(?:${URL_CHAR}|[/?])*)?(?:#(?:${URL_CHAR}|[/?])*)?$`,
);

const estimatedDelivery = z.union([date, timestamp], { error: 'must be an ISO 8601 date or date-time' });

export const orderPlacedV1 = z.object({
  orderId: identifier,
  items: lineItems,
  total: money,
  currency,
});

export const paymentFailedV1 = z
  .object({
    orderId: identifier.optional(),
    cartId: identifier.optional(),
    reason: line(200).optional(),
  })
  .refine((data) => data.orderId !== undefined || data.cartId !== undefined, {
    error: 'needs an orderId or a cartId',
  })
  // The same rule in the published JSON Schema, which cannot carry a refinement.
  .meta({ anyOf: [{ required: ['orderId'] }, { required: ['cartId'] }] });

export const orderShippedV1 = z.object({
  orderId: identifier,
  carrier: line(100).optional(),
  trackingUrl: z.string().max(2000).regex(TRACKING_URL, { error: 'must be an https URL' }).meta({ format: 'uri' }).optional(),
  estimatedDelivery: estimatedDelivery.optional(),
});

export const orderDelayedV1 = z.object({
  orderId: identifier,
  newEstimatedDelivery: estimatedDelivery,
  reason: line(200).optional(),
});

export const orderDeliveredV1 = z.object({
  orderId: identifier,
});
