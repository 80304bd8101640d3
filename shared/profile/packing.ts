/**
 * Compact storage of JSON in a binary attribute, for bulky data nobody reads by hand. DynamoDB
 * charges a write unit per started kilobyte, and what the stages derive about an active customer
 * (interests, usage by day, order history) with the bookkeeping of exactly-once writes is ~1.2 KB
 * of JSON: raw DEFLATE with a preset dictionary (its key names and common values, see
 * packing-dictionary.ts) packs it into ~0.35 KB, beside the profile's readable attributes.
 *
 * Format: a first byte 0x07 or 0x08 (never the start of a raw DEFLATE stream: block type 3 is
 * reserved) marks dictionary version 1 or 2; anything else is plain raw DEFLATE, as earlier
 * versions wrote it. New values are packed with version 2, made for what a profile item packs now.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PROFILE_DICTIONARY_V1, PROFILE_DICTIONARY_V2 } from './packing-dictionary.ts';

const DICTIONARIES: ReadonlyMap<number, Buffer> = new Map([
  [0x07, Buffer.from(PROFILE_DICTIONARY_V1, 'utf8')],
  [0x08, Buffer.from(PROFILE_DICTIONARY_V2, 'utf8')],
]);
const LATEST = 0x08;

export function pack(value: unknown): Uint8Array {
  const body = deflateRawSync(JSON.stringify(value), { level: 9, dictionary: DICTIONARIES.get(LATEST) });
  return Buffer.concat([Buffer.of(LATEST), body]);
}

export function unpack<T>(bytes: Uint8Array): T {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dictionary = DICTIONARIES.get(buffer[0] ?? 0);
  const text = dictionary ? inflateRawSync(buffer.subarray(1), { dictionary }) : inflateRawSync(buffer);
  return JSON.parse(text.toString('utf8')) as T;
}
