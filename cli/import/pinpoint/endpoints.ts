/**
 * Endpoints to customers. Pinpoint keeps one endpoint per address (an email address, a phone, a
 * device) and groups them by `User.UserId`; this system keeps one profile per customer. So the
 * endpoints of a user are merged: the email address from their email endpoint (an active one, the
 * latest), locale and time zone from `Demographic`, `Attributes`, `Metrics`, `Location` and
 * `User.UserAttributes` as profile attributes (the user's own win over an endpoint's, a later
 * endpoint's over an earlier one's), and the addresses of channels this system does not send on
 * kept as attributes (`smsAddress`, `apnsAddress`, …). An email endpoint without a user becomes a
 * customer known by that address.
 */
import { customerId as customerIdSchema, email as emailSchema, isTimeZone, locale as localeSchema } from '#shared/events/fields.ts';
import { attributeName } from './names.ts';
import type { Endpoint } from './shapes.ts';

export type ImportedValue = string | number | boolean;

export interface CustomerImport {
  /** The user id, or `email:<address>` for an email endpoint without a user. */
  readonly key: string;
  readonly customer: { readonly id?: string; readonly email?: string; readonly locale?: string; readonly timezone?: string };
  readonly attributes: Readonly<Record<string, ImportedValue>>;
  /** From the email endpoint: false when it opted out (`OptOut: ALL`); absent without one. */
  readonly subscribed?: boolean;
  /** The latest effective date of the customer's endpoints: when the import says it happened. */
  readonly occurredAt: string;
}

export interface EndpointTally {
  readonly endpoints: number;
  readonly byChannel: Record<string, number>;
  /** Endpoints on channels this system does not send on, kept as attributes. */
  readonly otherChannels: number;
  readonly optedOut: number;
  /** Endpoints left out, by reason. */
  readonly skipped: Record<string, number>;
  /** Attribute values not kept (empty, too long, control characters). */
  readonly valuesDropped: number;
}

/** Every imported profile says where it came from, so a segment can find them. */
export const IMPORTED_FROM = { importedFrom: 'pinpoint' } as const;

const MAX_VALUE = 500;
const CONTROL = /[\u0000-\u001f\u007f]/;

const dateOf = (endpoint: Endpoint): string | undefined => {
  const time = Date.parse(endpoint.EffectiveDate ?? endpoint.CreationDate ?? '');
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
};

const isEmail = (endpoint: Endpoint) => endpoint.ChannelType === 'EMAIL';
const isActive = (endpoint: Endpoint) => endpoint.EndpointStatus !== 'INACTIVE';

function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** Pinpoint writes `en_US`; BCP 47 says `en-US`. */
function localeOf(value: string | undefined): string | undefined {
  const candidate = value?.replace(/_/g, '-');
  return candidate && localeSchema.safeParse(candidate).success ? candidate : undefined;
}

class Attributes {
  readonly values: Record<string, ImportedValue> = {};
  dropped = 0;

  set(name: string, value: ImportedValue | undefined): void {
    if (value === undefined) return;
    if (typeof value === 'string' && (value.length === 0 || value.length > MAX_VALUE || CONTROL.test(value))) {
      this.dropped++;
      return;
    }
    this.values[attributeName(name)] = value;
  }

  /** Pinpoint's attributes hold lists of strings; a profile attribute holds one value, so a list is joined. */
  setLists(lists: Readonly<Record<string, readonly string[]>> | undefined): void {
    for (const [name, values] of Object.entries(lists ?? {})) this.set(name, values.join(', '));
  }
}

function mergeUser(key: string, endpoints: readonly Endpoint[], tally: { optedOut: number; otherChannels: number; valuesDropped: number }): CustomerImport {
  const ordered = [...endpoints].sort((a, b) => (dateOf(a) ?? '').localeCompare(dateOf(b) ?? ''));
  const attributes = new Attributes();
  let locale: string | undefined;
  let timezone: string | undefined;
  for (const endpoint of ordered) {
    attributes.setLists(endpoint.Attributes);
    for (const [name, value] of Object.entries(endpoint.Metrics ?? {})) attributes.set(name, value);
    attributes.set('country', endpoint.Location?.Country);
    attributes.set('city', endpoint.Location?.City);
    locale = localeOf(endpoint.Demographic?.Locale) ?? locale;
    const zone = endpoint.Demographic?.Timezone;
    if (zone && isTimeZone(zone)) timezone = zone;
    if (!isEmail(endpoint)) {
      tally.otherChannels++;
      const channel = endpoint.ChannelType.toLowerCase();
      attributes.set(`${channel}Address`, endpoint.Address);
      if (endpoint.OptOut === 'ALL') attributes.set(`${channel}OptOut`, true);
    }
  }
  for (const endpoint of ordered) attributes.setLists(endpoint.User?.UserAttributes);
  const emails = ordered.filter((endpoint) => isEmail(endpoint) && endpoint.Address && emailSchema.safeParse(endpoint.Address).success);
  const chosen = emails.filter(isActive).at(-1) ?? emails.at(-1);
  // Any endpoint of the address that opted out keeps the address out of marketing: the safer reading.
  const optedOut = chosen ? emails.some((endpoint) => endpoint.Address?.toLowerCase() === chosen.Address?.toLowerCase() && endpoint.OptOut === 'ALL') : false;
  if (optedOut) tally.optedOut++;
  tally.valuesDropped += attributes.dropped;
  const userId = key.startsWith('email:') ? undefined : key;
  return {
    key,
    customer: { ...(userId && { id: userId }), ...(chosen?.Address && { email: chosen.Address }), ...(locale && { locale }), ...(timezone && { timezone }) },
    attributes: { ...attributes.values, ...IMPORTED_FROM },
    ...(chosen && { subscribed: !optedOut }),
    occurredAt: ordered
      .map(dateOf)
      .filter((date): date is string => date !== undefined)
      .at(-1) as string,
  };
}

/** Groups endpoints by user and merges each group into one customer. */
export function customersFromEndpoints(endpoints: readonly Endpoint[]): { customers: CustomerImport[]; tally: EndpointTally } {
  const byChannel: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const groups = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) {
    count(byChannel, endpoint.ChannelType);
    const userId = endpoint.User?.UserId;
    if (!dateOf(endpoint)) count(skipped, 'no EffectiveDate or CreationDate');
    else if (userId !== undefined && !customerIdSchema.safeParse(userId).success) count(skipped, 'User.UserId is not a usable customer id');
    else if (userId !== undefined) groups.set(userId, [...(groups.get(userId) ?? []), endpoint]);
    else if (isEmail(endpoint) && endpoint.Address && emailSchema.safeParse(endpoint.Address).success) {
      const key = `email:${endpoint.Address.toLowerCase()}`;
      groups.set(key, [...(groups.get(key) ?? []), endpoint]);
    } else count(skipped, 'no User.UserId and no email address');
  }
  const tally = { optedOut: 0, otherChannels: 0, valuesDropped: 0 };
  const customers = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, group]) => mergeUser(key, group, tally));
  return { customers, tally: { endpoints: endpoints.length, byChannel, skipped, ...tally } };
}
