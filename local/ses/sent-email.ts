/**
 * What SES event publishing needs to know about one sent email, read from the SES v2 SendEmail
 * request (`POST /v2/email/outbound-emails`) and its response, whatever the content kind: Simple,
 * Raw (MIME; From, To and Subject come from its headers) or Template.
 */
import { bareAddress, decodeEncodedWords, headerValue, parseAddressList, parseHeaders } from './mime-headers.ts';

/** The parts of a SendEmail (SES v2) request and response that event publishing needs. */
export interface SentEmail {
  readonly messageId: string;
  /** As given, e.g. `Lifecycle <hello@example.com>` (SES's `mail.source`). */
  readonly from: string;
  /** Every recipient, bare addresses: To, then Cc, then Bcc (SES's `mail.destination`). */
  readonly to: readonly string[];
  /** Absent for templated emails: the subject is only known after rendering. */
  readonly subject?: string;
  readonly configurationSetName?: string;
  readonly tags: readonly { Name: string; Value: string }[];
  /** Epoch milliseconds. */
  readonly sentAt: number;
  /** The http(s) links a recipient could click (SES tracks those of the HTML part); none for Raw or Template content. */
  readonly links: readonly string[];
}

/** The links of an HTML body (`href="…"`), else the URLs of a text body, in order, each once. */
function linksOf(simple: Json | undefined): string[] {
  const body = object(simple?.Body);
  const html = text(object(body?.Html)?.Data);
  const found = html
    ? [...html.matchAll(/href\s*=\s*"(https?:\/\/[^"]+)"/gi)].map((match) => (match[1] ?? '').replaceAll('&amp;', '&'))
    : [...(text(object(body?.Text)?.Data) ?? '').matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);
  return [...new Set(found)];
}

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function tagsFrom(value: unknown): { Name: string; Value: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((tag) => {
    const entry = object(tag);
    return typeof entry?.Name === 'string' && typeof entry.Value === 'string' ? [{ Name: entry.Name, Value: entry.Value }] : [];
  });
}

/** `X-SES-MESSAGE-TAGS: campaign=welcome, variant=b` */
function tagsFromHeader(value: string | undefined): { Name: string; Value: string }[] {
  if (!value) return [];
  return value.split(',').flatMap((pair) => {
    const [name = '', ...rest] = pair.split('=');
    return name.trim() ? [{ Name: name.trim(), Value: rest.join('=').trim() }] : [];
  });
}

function destinationOf(request: Json): string[] | undefined {
  const destination = object(request.Destination);
  if (!destination) return undefined;
  return [...strings(destination.ToAddresses), ...strings(destination.CcAddresses), ...strings(destination.BccAddresses)].map(bareAddress);
}

/** Reads SES v2 SendEmail request JSON and its response JSON into a SentEmail. */
export function sentEmailFrom(request: unknown, response: unknown, sentAt: number): SentEmail {
  const body = object(request);
  if (!body) throw new TypeError('a SendEmail request must be a JSON object');
  const messageId = text(object(response)?.MessageId);
  if (!messageId) throw new TypeError('a SendEmail response must have a MessageId');
  const content = object(body.Content) ?? {};
  const configurationSetName = text(body.ConfigurationSetName);
  const tags = tagsFrom(body.EmailTags);

  const raw = object(content.Raw);
  if (raw) {
    const data = text(raw.Data);
    if (!data) throw new TypeError('Raw content must have Data (the base64 MIME message)');
    const headers = parseHeaders(Buffer.from(data, 'base64').toString('utf8'));
    const from = text(body.FromEmailAddress) ?? decodeEncodedWords(headerValue(headers, 'From') ?? '');
    const subject = headerValue(headers, 'Subject');
    // SES honours these headers in raw emails; the request's own values come first.
    const headerSet = headerValue(headers, 'X-SES-CONFIGURATION-SET');
    const set = configurationSetName ?? headerSet;
    return {
      messageId,
      from,
      to: destinationOf(body) ?? ['To', 'Cc', 'Bcc'].flatMap((name) => parseAddressList(headerValue(headers, name))),
      ...(subject !== undefined && { subject: decodeEncodedWords(subject) }),
      ...(set && { configurationSetName: set }),
      tags: [...tags, ...tagsFromHeader(headerValue(headers, 'X-SES-MESSAGE-TAGS'))],
      sentAt,
      links: [],
    };
  }

  const simple = object(content.Simple);
  const subject = text(object(simple?.Subject)?.Data);
  return {
    messageId,
    from: text(body.FromEmailAddress) ?? '',
    to: destinationOf(body) ?? [],
    ...(subject !== undefined && { subject }),
    ...(configurationSetName && { configurationSetName }),
    tags,
    sentAt,
    links: linksOf(simple),
  };
}
