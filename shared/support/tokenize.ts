/**
 * Turns English and Korean text into the terms the knowledge base is indexed and searched by.
 * The same function processes both the knowledge base and the customer's message, so they meet
 * on the same terms:
 *
 *   1. Unicode NFKC and lower case: full-width letters, compatibility forms and case fold away.
 *   2. Korean synonyms are rewritten inside runs of Hangul (쇼파 → 소파, 택배 → 배송), with a space
 *      around the result, since Korean writes particles and endings onto the word.
 *   3. English words are stemmed lightly (couches → couch, cancelled → cancel, shipping → ship),
 *      then English synonyms and phrases are rewritten (couch → sofa, money back → refund).
 *   4. Stop words go (greetings, politeness, function words).
 *   5. A Korean word loses its ending or particle (배송이 → 배송, 도착하나요 → 도착) and becomes
 *      character bigrams (배송조회 → 배송, 송조, 조회), so 배송이 matches 배송 and a phrase
 *      written without spaces still shares its bigrams with the spaced one. A word of one
 *      syllable stays whole (앱), unless it is a particle.
 *
 * Digits alone are dropped: order numbers and quantities say nothing about the topic.
 */
import { ENGLISH_STOP_WORDS, KOREAN_ENDINGS, KOREAN_PARTICLES, KOREAN_STOP_SYLLABLES, KOREAN_STOP_WORDS } from './stop-words.ts';
import type { Synonyms } from './synonyms.ts';

export interface Tokenizer {
  /** The terms of a text, in order, with repeats. */
  tokens(text: string): string[];
}

const HANGUL_RUN = /[\uAC00-\uD7A3]+/;
const WORD = /[\uAC00-\uD7A3]+|[a-z0-9\u00DF-\u024F]+/g;
const HAS_HANGUL = /[\uAC00-\uD7A3]/;
const VOWEL = /[aeiouy]/;

/** NFKC, lower case, and apostrophes out of words (don't → dont, customer's → customer). */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC`´]/g, "'")
    .replace(/'s\b/g, '')
    .replace(/([a-z])'([a-z])/g, '$1$2');
}

/** A light English stemmer: plurals, -able, -ing, -ed and a final e; enough for matching, not linguistics. */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let stem = word;
  if (stem.endsWith('sses')) stem = stem.slice(0, -2);
  else if (stem.endsWith('ies') && stem.length > 4) stem = `${stem.slice(0, -3)}y`;
  else if (/(?:ches|shes|xes|zes)$/.test(stem)) stem = stem.slice(0, -2);
  else if (stem.endsWith('s') && !/(?:ss|us|is)$/.test(stem)) stem = stem.slice(0, -1);
  for (const suffix of ['able', 'ing', 'ed']) {
    const base = stem.slice(0, -suffix.length);
    if (stem.endsWith(suffix) && base.length >= 3 && VOWEL.test(base)) {
      stem = base;
      // shipp → ship, cancell → cancel; but keep ss (dress) and a short ll (call).
      const doubled = /([b-df-hj-np-tv-z])\1$/.exec(stem);
      if (doubled && doubled[1] !== 's' && (doubled[1] !== 'l' || stem.length >= 5)) stem = stem.slice(0, -1);
      break;
    }
  }
  if (stem.endsWith('e') && stem.length > 3) stem = stem.slice(0, -1);
  return stem;
}

/** A Korean word without its final ending, then without a final particle; at least two syllables stay. */
export function stripKoreanEnding(word: string): string {
  let stem = word;
  for (const list of [KOREAN_ENDINGS, KOREAN_PARTICLES]) {
    const ending = list.find((candidate) => stem.endsWith(candidate) && stem.length - candidate.length >= 2);
    if (ending) stem = stem.slice(0, -ending.length);
  }
  return stem;
}

/** The overlapping pairs of syllables of a word; a one-syllable word is its own term. */
export function hangulBigrams(word: string): string[] {
  if (word.length <= 1) return word ? [word] : [];
  const bigrams: string[] = [];
  for (let index = 0; index + 2 <= word.length; index += 1) bigrams.push(word.slice(index, index + 2));
  return bigrams;
}

/** Latin words split where digits meet a unit (5ghz → 5 ghz, 150kg → 150 kg), not where letters meet digits (e14). */
function latinWords(text: string): string[] {
  return text
    .replace(/(\d)([a-z]{2,})/g, '$1 $2')
    .split(' ')
    .filter(Boolean);
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The Korean rewriting: every Hangul variant (and each Hangul term, so 재입고 stays whole) as one regex, longest first. */
function koreanRewriter(synonyms: Synonyms): (text: string) => string {
  const replacement = new Map<string, string>();
  const patterns: { pattern: string; length: number }[] = [];
  const add = (form: string, term: string) => {
    let key = normalizeText(form).replace(/\s+/g, ' ').trim();
    // A verb in its dictionary form (환불받다) matches its stem followed by any ending.
    if (key.endsWith('다') && key.replace(/ /g, '').length >= 3) key = key.slice(0, -1).trim();
    const compact = key.replace(/ /g, '');
    if (!HAS_HANGUL.test(key) || replacement.has(compact)) return;
    replacement.set(compact, term);
    patterns.push({ pattern: key.split(' ').map(escapeRegex).join('\\s*'), length: compact.length });
  };
  for (const { term, variants } of synonyms) {
    add(term, term);
    for (const variant of variants) add(variant, term);
  }
  if (patterns.length === 0) return (text) => text;
  patterns.sort((a, b) => b.length - a.length);
  const regex = new RegExp(patterns.map(({ pattern }) => pattern).join('|'), 'gu');
  return (text) => text.replace(regex, (found) => ` ${normalizeText(replacement.get(found.replace(/\s+/g, '')) ?? found)} `);
}

/** The English rewriting: stemmed variant phrases → the stemmed term, longest phrase first. */
function englishRewriter(synonyms: Synonyms): { rewrite: (stems: string[]) => string[] } {
  const phrases = new Map<string, string[]>();
  let longest = 1;
  for (const { term, variants } of synonyms) {
    for (const variant of variants) {
      const normalized = normalizeText(variant);
      if (HAS_HANGUL.test(normalized)) continue;
      const words = (normalized.match(WORD) ?? []).flatMap(latinWords).map(stemEnglish);
      if (words.length === 0) continue;
      phrases.set(words.join(' '), (normalizeText(term).match(WORD) ?? []).flatMap(latinWords).map(stemEnglish));
      longest = Math.max(longest, words.length);
    }
  }
  return {
    rewrite(stems) {
      const out: string[] = [];
      for (let index = 0; index < stems.length; ) {
        let matched = false;
        for (let length = Math.min(longest, stems.length - index); length >= 1 && !matched; length -= 1) {
          const term = phrases.get(stems.slice(index, index + length).join(' '));
          if (!term) continue;
          out.push(...term);
          index += length;
          matched = true;
        }
        if (!matched) {
          out.push(stems[index] ?? '');
          index += 1;
        }
      }
      return out;
    },
  };
}

const STEMMED_STOP_WORDS = new Set([...ENGLISH_STOP_WORDS].map(stemEnglish));

function keepEnglish(stem: string): boolean {
  return stem.length >= 2 && !/^\d+$/.test(stem) && !STEMMED_STOP_WORDS.has(stem);
}

const KOREAN_AFFIXES = new Set([...KOREAN_ENDINGS, ...KOREAN_PARTICLES]);

function koreanTerms(word: string): string[] {
  // A word that is only an ending or a particle: what is left once a synonym took the stem (쏟|았어요).
  if (KOREAN_STOP_WORDS.has(word) || KOREAN_AFFIXES.has(word)) return [];
  const stem = stripKoreanEnding(word);
  if (KOREAN_STOP_WORDS.has(stem)) return [];
  if (stem.length === 1 && KOREAN_STOP_SYLLABLES.has(stem)) return [];
  return hangulBigrams(stem);
}

/** A tokenizer that applies `synonyms` (from loadSynonyms) in both languages. */
export function createTokenizer(synonyms: Synonyms = []): Tokenizer {
  const rewriteKorean = koreanRewriter(synonyms);
  const english = englishRewriter(synonyms);
  return {
    tokens(text) {
      const terms: string[] = [];
      let latin: string[] = [];
      const flushLatin = () => {
        const rewritten = english.rewrite(latin.flatMap(latinWords).map(stemEnglish));
        terms.push(...rewritten.filter(keepEnglish));
        latin = [];
      };
      for (const word of rewriteKorean(normalizeText(text)).match(WORD) ?? []) {
        if (HANGUL_RUN.test(word)) {
          flushLatin();
          terms.push(...koreanTerms(word));
        } else {
          latin.push(word);
        }
      }
      flushLatin();
      return terms;
    },
  };
}
