/**
 * The knowledge base made ready for the answer function at synthesis: read and checked, and its
 * search index built, so that the function's cold start neither parses YAML nor tokenizes every
 * answer. It travels as a JSON file next to the function's bundle (infra/lifecycle-stack.ts); the
 * function hands it to createAnswerer as it is.
 */
import type { KnowledgeBaseEntry } from './knowledge-base.ts';
import { indexKnowledge, type KnowledgeIndex } from './search.ts';
import type { Synonyms } from './synonyms.ts';
import { createTokenizer } from './tokenize.ts';

/** The file's name in the function's code directory. */
export const SUPPORT_KNOWLEDGE_FILE = 'support-knowledge.json';

export interface PreparedKnowledge {
  readonly entries: readonly KnowledgeBaseEntry[];
  readonly synonyms: Synonyms;
  readonly index: KnowledgeIndex;
}

/**
 * The knowledge base and synonyms (from loadKnowledgeBase and loadSynonyms), indexed: plain data.
 * Its module loads neither, so that the function's bundle holds no YAML parser.
 */
export function prepareKnowledge(entries: readonly KnowledgeBaseEntry[], synonyms: Synonyms): PreparedKnowledge {
  return { entries, synonyms, index: indexKnowledge(entries, createTokenizer(synonyms)) };
}
