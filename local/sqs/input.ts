/** Reading members of a JSON request as the types the SQS model gives them, with SQS's errors when they are not. */
import { invalidParameter, missingParameter } from '#local/sqs/errors.ts';
import type { MessageAttributes, MessageAttributeValue } from '#local/sqs/message.ts';

export type Input = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`Value for parameter ${name} must be a string.`);
  return value;
}

export function requiredString(input: Input, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}

export function optionalInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  // The SDK sends numbers; the CLI and hand-written requests sometimes send numeric strings.
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number))
    throw invalidParameter(`Value ${String(value)} for parameter ${name} is invalid. Reason: Must be an integer.`);
  return number;
}

export function stringList(input: Input, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string'))
    throw invalidParameter(`Value for parameter ${name} must be a list of strings.`);
  return value;
}

/** A batch request's entries: each an object. */
export function entryList(input: Input, name: string): Input[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw invalidParameter(`Value for parameter ${name} must be a list of entries.`);
  return value;
}

function attributeValue(name: string, value: unknown): MessageAttributeValue {
  if (!isRecord(value)) throw invalidParameter(`Message attribute '${name}' must be an object.`);
  const dataType = optionalString(value, 'DataType');
  if (dataType === undefined) throw invalidParameter(`The message attribute '${name}' must contain a non-empty message attribute type.`);
  const stringValue = optionalString(value, 'StringValue');
  const binaryValue = optionalString(value, 'BinaryValue');
  return {
    DataType: dataType,
    ...(stringValue === undefined ? {} : { StringValue: stringValue }),
    ...(binaryValue === undefined ? {} : { BinaryValue: binaryValue }),
  };
}

export function messageAttributes(input: Input, name = 'MessageAttributes'): MessageAttributes {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalidParameter(`Value for parameter ${name} must be a map.`);
  return Object.fromEntries(Object.entries(value).map(([key, attribute]) => [key, attributeValue(key, attribute)]));
}

export function requiredInteger(input: Input, name: string): number {
  const value = optionalInteger(input, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}
