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
 */
import MiniSearch from 'minisearch';
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

const LATIN = /^[a-z]/;
const identity = (term: string) => term;

function createIndex(documents: readonly Document[], tokenizer: Tokenizer): MiniSearch<Document> {
  const index = new MiniSearch<Document>({
    fields: ['title', 'questions', 'answer'],
    tokenize: (text) => tokenizer.tokens(text),
    processTerm: identity,
  });
  index.addAll([...documents]);
  return index;
}

/** Inverse document frequency, as BM25 computes it. */
const idf = (documents: number, withTerm: number) => Math.log(1 + (documents - withTerm + 0.5) / (withTerm + 0.5));

export function createKnowledgeSearch(entries: readonly KnowledgeBaseEntry[], tokenizer: Tokenizer): KnowledgeSearch {
  const indexes = new Map<Language, MiniSearch<Document>>();
  const weights = new Map<Language, Map<string, number>>();
  const questions = new Map<string, (readonly string[])[]>();
  const vocabulary = new Map<string, ReadonlySet<string>>();

  for (const language of LANGUAGES) {
    const inLanguage = entries.filter((entry) => entry.locale === language);
    const documents = inLanguage.map((entry) => ({ id: entry.id, title: entry.title, questions: entry.questions.join('\n'), answer: entry.answer }));
    indexes.set(language, createIndex(documents, tokenizer));

    const frequency = new Map<string, number>();
    for (const document of documents) {
      const terms = new Set(tokenizer.tokens(`${document.title}\n${document.questions}\n${document.answer}`));
      vocabulary.set(`${document.id}/${language}`, terms);
      for (const term of terms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
    }
    weights.set(language, new Map([...frequency].map(([term, count]) => [term, idf(documents.length, count)])));
    for (const entry of inLanguage)
      questions.set(
        `${entry.id}/${language}`,
        entry.questions.map((question) => [...new Set(tokenizer.tokens(question))]),
      );
  }

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
    questionTerms: (entryId, language) => questions.get(`${entryId}/${language}`) ?? [],
    entryTerms: (entryId, language) => vocabulary.get(`${entryId}/${language}`) ?? new Set(),
  };
}
