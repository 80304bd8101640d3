/**
 * SES message tags that tie an email to its customer and message key, so that feedback from SES
 * (deliveries, bounces, complaints, opens, clicks) finds the message without a look-up table.
 * Tag values allow only letters, digits, `_` and `-`: values are base64url-encoded.
 */

export const TagNames = {
  Customer: 'lifecycle-customer',
  Message: 'lifecycle-message',
  Template: 'lifecycle-template',
  Kind: 'lifecycle-kind',
} as const;

export interface MessageTags {
  readonly customerId: string;
  readonly messageKey: string;
  readonly template: string;
  readonly kind: string;
}

const encode = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');
const decode = (value: string): string => Buffer.from(value, 'base64url').toString('utf8');

export function toEmailTags(tags: MessageTags): { Name: string; Value: string }[] {
  return [
    { Name: TagNames.Customer, Value: encode(tags.customerId) },
    { Name: TagNames.Message, Value: encode(tags.messageKey) },
    { Name: TagNames.Template, Value: encode(tags.template) },
    { Name: TagNames.Kind, Value: tags.kind },
  ];
}

/** Reads the tags as SES events carry them (`mail.tags`: name → values). */
export function fromEventTags(tags: Readonly<Record<string, readonly string[]>> | undefined): MessageTags | undefined {
  const first = (name: string) => tags?.[name]?.[0];
  const customer = first(TagNames.Customer);
  const message = first(TagNames.Message);
  if (!customer || !message) return undefined;
  return { customerId: decode(customer), messageKey: decode(message), template: decode(first(TagNames.Template) ?? ''), kind: first(TagNames.Kind) ?? '' };
}
