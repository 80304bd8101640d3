/**
 * The MD5 digests SQS returns with every message, which the AWS SDKs check: of the body, and of the
 * message attributes in AWS's documented binary encoding ("Calculating the MD5 message digest for
 * message attributes" in the SQS Developer Guide).
 */
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from '#local/sqs/message.ts';

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** Transport type bytes of the encoding: the base type before any custom suffix (`Number.float`) decides. */
const TRANSPORT_STRING = 1;
const TRANSPORT_BINARY = 2;

/** A 4-byte big-endian length followed by the bytes. */
function lengthPrefixed(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function encodeAttribute(name: string, value: MessageAttributeValue): Buffer {
  const isBinary = value.DataType.startsWith('Binary');
  const valueBytes = isBinary ? Buffer.from(value.BinaryValue ?? '', 'base64') : Buffer.from(value.StringValue ?? '', 'utf8');
  return Buffer.concat([
    lengthPrefixed(Buffer.from(name, 'utf8')),
    lengthPrefixed(Buffer.from(value.DataType, 'utf8')),
    Buffer.of(isBinary ? TRANSPORT_BINARY : TRANSPORT_STRING),
    lengthPrefixed(valueBytes),
  ]);
}

/** The digest of a set of message attributes, or undefined when there are none (SQS then omits it). */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string | undefined {
  // Sorted by name, comparing code units as the reference implementations do.
  const entries = Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return undefined;
  return md5Hex(Buffer.concat(entries.map(([name, value]) => encodeAttribute(name, value))));
}
