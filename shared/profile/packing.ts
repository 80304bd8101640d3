/**
 * Compact storage of JSON in a binary attribute. DynamoDB charges a write unit per started
 * kilobyte, and a profile that knows what every stage learnt is ~2.7 KB of JSON: raw DEFLATE
 * with a preset dictionary (the profile's key names and common values, see packing-dictionary.ts)
 * packs an active customer's profile into ~0.7 KB, so it keeps costing one write unit.
 *
 * Format: a first byte 0x07 (never the start of a raw DEFLATE stream: block type 3 is reserved)
 * marks dictionary version 1; anything else is plain raw DEFLATE, as earlier versions wrote it.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PROFILE_DICTIONARY_V1 } from './packing-dictionary.ts';

const DICTIONARY_V1 = 0x07;
const dictionary = Buffer.from(PROFILE_DICTIONARY_V1, 'utf8');

export function pack(value: unknown): Uint8Array {
  const body = deflateRawSync(JSON.stringify(value), { level: 9, dictionary });
  return Buffer.concat([Buffer.of(DICTIONARY_V1), body]);
}

export function unpack<T>(bytes: Uint8Array): T {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer[0] === DICTIONARY_V1 ? inflateRawSync(buffer.subarray(1), { dictionary }) : inflateRawSync(buffer);
  return JSON.parse(text.toString('utf8')) as T;
}
