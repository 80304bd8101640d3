import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pack, unpack } from '#shared/profile/packing.ts';
import { PROFILE_DICTIONARY_V1 } from '#shared/profile/packing-dictionary.ts';
import { newProfile } from '#shared/profile/profile.ts';

describe('packing profiles', () => {
  const profile = { ...newProfile('c-1', '2026-11-22T10:00:00.000Z'), email: 'mina@example.com', attributes: { note: '한국어 ✓' } };

  it('round-trips a profile through the dictionary format', () => {
    const bytes = pack(profile);
    expect(bytes[0]).toBe(0x08);
    expect(unpack(bytes)).toEqual(profile);
  });

  it('packs smaller with the dictionary than without', () => {
    expect(pack(profile).byteLength).toBeLessThan(deflateRawSync(JSON.stringify(profile)).byteLength * 0.8);
  });

  it('still reads profiles packed with the first dictionary', () => {
    const v1 = deflateRawSync(JSON.stringify(profile), { dictionary: Buffer.from(PROFILE_DICTIONARY_V1, 'utf8') });
    expect(unpack(Buffer.concat([Buffer.of(0x07), v1]))).toEqual(profile);
  });

  it('still reads profiles packed without a dictionary', () => {
    expect(unpack(deflateRawSync(JSON.stringify(profile)))).toEqual(profile);
  });
});
