/** SQS's limits on what a sender may send, checked as AWS checks them. */
import { invalidMessageContents, invalidParameter, missingParameter } from '#local/sqs/errors.ts';
import type { MessageAttributes, MessageAttributeValue } from '#local/sqs/message.ts';

const MAX_ATTRIBUTES = 10;
const MAX_ATTRIBUTE_NAME_LENGTH = 256;
/** The characters SQS allows in a body and in attribute values (XML's). */
const ALLOWED_CHARACTERS = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** Throws unless `value` is a whole number in [min, max]. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`Value ${value} for parameter ${name} is invalid. Reason: Must be an integer from ${min} to ${max}.`);
  }
  return value;
}

export function checkBody(body: string | undefined): string {
  if (body === undefined || body.length === 0) throw missingParameter('MessageBody');
  if (!ALLOWED_CHARACTERS.test(body)) {
    throw invalidMessageContents(
      'Invalid binary character in the message body. Only #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF are allowed.',
    );
  }
  return body;
}

function checkAttribute(name: string, value: MessageAttributeValue): void {
  if (
    name.length === 0 ||
    name.length > MAX_ATTRIBUTE_NAME_LENGTH ||
    !/^[A-Za-z0-9_.-]+$/.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..')
  ) {
    throw invalidParameter(`Message attribute name '${name}' is invalid.`);
  }
  if (/^(aws\.|amazon\.)/i.test(name)) throw invalidParameter(`Message attribute name '${name}' uses a reserved prefix.`);
  const baseType = /^(String|Number|Binary)(\..+)?$/.exec(value.DataType)?.[1];
  if (!baseType)
    throw invalidParameter(
      `The type of message attribute '${name}' is invalid: '${value.DataType}'. Use String, Number or Binary, optionally with a custom suffix.`,
    );
  if (baseType === 'Binary') {
    if (value.BinaryValue === undefined || value.BinaryValue.length === 0)
      throw invalidParameter(`Message attribute '${name}' must contain a non-empty message attribute value for message attribute type '${value.DataType}'.`);
    return;
  }
  if (value.StringValue === undefined || value.StringValue.length === 0) {
    throw invalidParameter(`Message attribute '${name}' must contain a non-empty message attribute value for message attribute type '${value.DataType}'.`);
  }
  if (!ALLOWED_CHARACTERS.test(value.StringValue)) throw invalidMessageContents(`Message attribute '${name}' contains invalid characters.`);
  if (baseType === 'Number' && !Number.isFinite(Number(value.StringValue))) {
    throw invalidParameter(`Can't cast the value of message attribute '${name}' to a number.`);
  }
}

export function checkAttributes(attributes: MessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) throw invalidParameter(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  for (const [name, value] of Object.entries(attributes)) checkAttribute(name, value);
}

/** What counts against MaximumMessageSize: the body, and each attribute's name, type and value. */
export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8');
    size += value.BinaryValue === undefined ? Buffer.byteLength(value.StringValue ?? '', 'utf8') : Buffer.from(value.BinaryValue, 'base64').length;
  }
  return size;
}

export function checkSize(body: string, attributes: MessageAttributes, maximum: number): void {
  const size = messageSize(body, attributes);
  if (size > maximum) throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${maximum} bytes.`);
}
