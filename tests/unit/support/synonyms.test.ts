import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SupportFileError } from '#shared/support/support-files.ts';
import { loadSynonyms, SYNONYMS_FILE } from '#shared/support/synonyms.ts';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'synonyms-'));
  file = join(dir, 'synonyms.yaml');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The problems loadSynonyms reports for `yaml`, one a line. */
function problems(yaml: string): string[] {
  writeFileSync(file, yaml);
  try {
    loadSynonyms(file);
  } catch (error) {
    if (error instanceof SupportFileError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the synonym dictionary in the repository', () => {
  const synonyms = loadSynonyms();

  it('maps at least 60 everyday words in each language to the shop’s terms', () => {
    for (const language of ['en', 'ko'] as const) {
      const variants = synonyms.filter((mapping) => mapping.language === language).flatMap((mapping) => mapping.variants);
      expect(variants.length, language).toBeGreaterThanOrEqual(60);
    }
  });

  it('holds the mappings customers need most', () => {
    const termOf = (variant: string) => synonyms.find((mapping) => mapping.variants.includes(variant))?.term;
    expect(termOf('couch')).toBe('sofa');
    expect(termOf('money back')).toBe('refund');
    expect(termOf('parcel')).toBe('delivery');
    expect(termOf('busted')).toBe('damaged');
    expect(termOf('쇼파')).toBe('소파');
    expect(termOf('택배')).toBe('배송');
    expect(termOf('환불받다')).toBe('환불');
    expect(termOf('조회')).toBe('추적');
  });

  it('is where SYNONYMS_FILE points', () => {
    expect(SYNONYMS_FILE).toMatch(/shared[\\/]support[\\/]synonyms\.yaml$/);
  });
});

describe('loading a synonym dictionary', () => {
  it('returns one mapping per term, variants in lower case', () => {
    writeFileSync(file, 'en:\n  sofa: [Couch, "settee "]\nko:\n  배송: [택배]\n');
    expect(loadSynonyms(file)).toEqual([
      { language: 'en', term: 'sofa', variants: ['couch', 'settee'] },
      { language: 'ko', term: '배송', variants: ['택배'] },
    ]);
  });

  it('names the file and the field of every problem', () => {
    expect(problems('en:\n  sofa: couch\n  rug: []\n  lamp: [light, 3]\nfr:\n  canapé: [sofa]\n')).toEqual([
      `${file}: en.sofa: must be a list of the variants customers use`,
      `${file}: en.rug: must list at least 1 variant`,
      `${file}: en.lamp[1]: must be a string`,
      `${file}: unknown key "fr" (the dictionary has one section per language: en, ko)`,
    ]);
  });

  it('refuses a variant listed twice, a variant that is a term, and a term mapped to itself', () => {
    expect(problems('en:\n  sofa: [couch, sofa]\n  seat: [couch, bench, chair]\n  chair: [stool]\n  rug: [mat, mat]\n')).toEqual([
      `${file}: en.sofa[1]: "sofa" is the term itself`,
      `${file}: en.seat[0]: "couch" is already a variant of sofa`,
      `${file}: en.seat[2]: "chair" is itself a term; map its variants to seat directly`,
      `${file}: en.rug[1]: "mat" is listed twice`,
    ]);
  });

  it('reports a file that is missing or not YAML', () => {
    expect(problems('en: [unclosed\n')).toEqual([expect.stringMatching(/synonyms\.yaml: not valid YAML: /)]);
    expect(() => loadSynonyms(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot be read \(ENOENT\)$/);
  });
});
