/**
 * Full-text search over the knowledge base with MiniSearch: one index per language, one document
 * per answer, holding the answer's title, the ways customers ask it and the answer itself. The
 * questions weigh most, since customers' messages resemble them; the answer text weighs least.
 * Both the documents and the queries go through the same tokenizer (tokenize.ts), so MiniSearch
 * only ever sees finished terms. Longer English terms also match by prefix and with a typo or two
 * (adress → address); Korean bigrams match exactly.
 *
 * Besides the ranked hits, the index knows how rare each term is across answers (its weight, an
 * inverse document frequency), and the terms of each question, which confidence.ts uses to judge
 * how well the best hit covers the message.
 *
 * Indexing tokenizes every answer, which takes a while: indexKnowledge does it once, into plain
 * data (synthesis compiles it into the answer function), and loadKnowledgeSearch loads that ready.
 */
import MiniSearch, { type AsPlainObject } from 'minisearch';
import type { KnowledgeBaseEntry } from './knowledge-base.ts';
import { LANGUAGES, type Language } from './language.ts';
import type { Tokenizer } from './tokenize.ts';

export interface SearchHit {
  readonly entryId: string;
  readonly score: number;
  /** The query's terms found in this answer (a typo counts as the term it matched). */
  readonly matchedTerms: readonly string[];
}

export interface SearchOutcome {
  readonly language: Language;
  /** The distinct terms of the query, in order. */
  readonly terms: readonly string[];
  /** Best first. */
  readonly hits: readonly SearchHit[];
}

export interface KnowledgeSearch {
  search(text: string, language: Language): SearchOutcome;
  /** How telling a term is: high when few answers use it; undefined for a term no answer uses. */
  termWeight(term: string, language: Language): number | undefined;
  /** The distinct terms of each way customers ask an answer. */
  questionTerms(entryId: string, language: Language): readonly (readonly string[])[];
  /** Every term of an answer: its title, questions and text. */
  entryTerms(entryId: string, language: Language): ReadonlySet<string>;
}

/** How much each field counts. */
export const FIELD_BOOST = { questions: 3, title: 2, answer: 1 } as const;

interface Document {
  readonly id: string;
  readonly title: string;
  readonly questions: string;
  readonly answer: string;
}

/** The knowledge base indexed, as plain data (JSON) that loads without tokenizing anything. */
export interface KnowledgeIndex {
  /** Per language, the MiniSearch index of its answers. */
  readonly indexes: Readonly<Record<Language, AsPlainObject>>;
  /** Per answer in a language (`id/language`), every distinct term of its title, questions and text. */
  readonly vocabulary: Readonly<Record<string, readonly string[]>>;
  /** Per answer in a language, the distinct terms of each of its questions. */
  readonly questions: Readonly<Record<string, readonly (readonly string[])[]>>;
}

const LATIN = /^[a-z]/;
const identity = (term: string) => term;

/** How the indexes are built and loaded: the same both ways, as MiniSearch requires. */
const indexOptions = (tokenizer: Tokenizer) => ({
  fields: ['title', 'questions', 'answer'],
  tokenize: (text: string) => tokenizer.tokens(text),
  processTerm: identity,
});

/** Indexes the knowledge base: what loadKnowledgeSearch loads. */
export function indexKnowledge(entries: readonly KnowledgeBaseEntry[], tokenizer: Tokenizer): KnowledgeIndex {
  const indexes: Partial<Record<Language, AsPlainObject>> = {};
  const vocabulary: Record<string, string[]> = {};
  const questions: Record<string, string[][]> = {};
  for (const language of LANGUAGES) {
    const inLanguage = entries.filter((entry) => entry.locale === language);
    const documents = inLanguage.map((entry) => ({ id: entry.id, title: entry.title, questions: entry.questions.join('\n'), answer: entry.answer }));
    const index = new MiniSearch<Document>(indexOptions(tokenizer));
    index.addAll(documents);
    indexes[language] = index.toJSON();
    for (const document of documents)
      vocabulary[`${document.id}/${language}`] = [...new Set(tokenizer.tokens(`${document.title}\n${document.questions}\n${document.answer}`))];
    for (const entry of inLanguage) questions[`${entry.id}/${language}`] = entry.questions.map((question) => [...new Set(tokenizer.tokens(question))]);
  }
  return { indexes: indexes as Record<Language, AsPlainObject>, vocabulary, questions };
}

/** Inverse document frequency, as BM25 computes it. */
const idf = (documents: number, withTerm: number) => Math.log(1 + (documents - withTerm + 0.5) / (withTerm + 0.5));

/** Each term's weight in a language, from the terms of its answers. */
function termWeights(vocabulary: KnowledgeIndex['vocabulary'], language: Language): Map<string, number> {
  const answers = Object.entries(vocabulary).filter(([key]) => key.endsWith(`/${language}`));
  const frequency = new Map<string, number>();
  for (const [, terms] of answers) for (const term of terms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  return new Map([...frequency].map(([term, count]) => [term, idf(answers.length, count)]));
}

/** The search over an index made by indexKnowledge; `tokenizer` must be the one it was made with. */
export function loadKnowledgeSearch(knowledge: KnowledgeIndex, tokenizer: Tokenizer): KnowledgeSearch {
  const indexes = new Map(LANGUAGES.map((language) => [language, MiniSearch.loadJS<Document>(knowledge.indexes[language], indexOptions(tokenizer))]));
  const weights = new Map(LANGUAGES.map((language) => [language, termWeights(knowledge.vocabulary, language)]));
  const vocabulary = new Map(Object.entries(knowledge.vocabulary).map(([key, terms]) => [key, new Set(terms)]));

  return {
    search(text, language) {
      const terms = [...new Set(tokenizer.tokens(text))];
      const index = indexes.get(language);
      if (!index || terms.length === 0) return { language, terms, hits: [] };
      const results = index.search(terms.join(' '), {
        tokenize: (query) => query.split(' '),
        processTerm: identity,
        boost: { ...FIELD_BOOST },
        prefix: (term) => LATIN.test(term) && term.length >= 5,
        fuzzy: (term) => (LATIN.test(term) && term.length >= 5 ? 0.2 : false),
        combineWith: 'OR',
      });
      return {
        language,
        terms,
        hits: results.map((result) => ({ entryId: String(result.id), score: result.score, matchedTerms: [...new Set(result.queryTerms)] })),
      };
    },
    termWeight: (term, language) => weights.get(language)?.get(term),
    questionTerms: (entryId, language) => knowledge.questions[`${entryId}/${language}`] ?? [],
    entryTerms: (entryId, language) => vocabulary.get(`${entryId}/${language}`) ?? new Set(),
  };
}
