/**
 * Answers a support message from the knowledge base, or hands it to a person.
 *
 *   const answerer = createAnswerer({ entries: loadKnowledgeBase(), synonyms: loadSynonyms() });
 *   // or, indexed ahead: createAnswerer(prepareKnowledge(entries, synonyms)) (prepared-knowledge.ts)
 *   answerer.answer({ subject, message, locale: 'ko-KR' })
 *     → { kind: 'answer', entryId, locale, title, body, confidence }
 *     | { kind: 'escalate', confidence, bestEntryId?, reason, signals }
 *
 * A wrong automatic answer is worse than an escalation, so the answerer answers only when
 *   - no veto signal is present (safety, legal, anger, a request for a person, one specific
 *     order, a wrong item, a billing error: see signals.ts),
 *   - the message does not ask about several topics (a clause of it finds another answer with
 *     confidence, and the best answer lacks most of that clause's terms), and
 *   - the confidence (confidence.ts) reaches the threshold.
 *
 * The message is searched in the language it is written in; the answer is sent in Korean for a
 * Korean locale or a Korean message, in English otherwise (language.ts). Neither the result nor
 * any error ever contains the message text.
 */
import { clausesOf } from './clauses.ts';
import { confidenceOf, matchEvidence } from './confidence.ts';
import type { KnowledgeBaseEntry } from './knowledge-base.ts';
import { messageLanguage, replyLanguage, type Language } from './language.ts';
import { indexKnowledge, loadKnowledgeSearch, type KnowledgeIndex } from './search.ts';
import { detectSignals, VETO_SIGNALS, type Signal } from './signals.ts';
import type { Synonyms } from './synonyms.ts';
import { createTokenizer } from './tokenize.ts';

/**
 * The confidence an answer needs, unless createAnswerer is given another: above the highest
 * confidence any wrong answer reached on the labelled inquiries used for tuning (0.56).
 */
export const DEFAULT_THRESHOLD = 0.6;

export interface SupportQuestion {
  readonly subject?: string;
  readonly message: string;
  /** The customer's BCP 47 locale, such as ko-KR or en-US. */
  readonly locale?: string;
}

export interface AutomaticAnswer {
  readonly kind: 'answer';
  readonly entryId: string;
  /** The language of title and body. */
  readonly locale: Language;
  /** For the support-reply email: answer.title. */
  readonly title: string;
  /** For the support-reply email: answer.body; plain text, paragraphs separated by a blank line. */
  readonly body: string;
  readonly confidence: number;
}

export type EscalationReason =
  /** Nothing in the message matched the knowledge base. */
  | 'no-match'
  /** The best answer found is not certain enough. */
  | 'low-confidence'
  /** Different parts of the message ask about different topics. */
  | 'several-topics'
  /** A veto signal: see `signals`. */
  | 'signal';

export interface Escalation {
  readonly kind: 'escalate';
  /** The confidence in the best answer found (0 when none), whatever the reason for escalating. */
  readonly confidence: number;
  /** The best answer found, for the person who takes over. */
  readonly bestEntryId?: string;
  readonly reason: EscalationReason;
  /** The veto signals found (empty unless `reason` is `signal`). */
  readonly signals: readonly Signal[];
}

export type AnswerResult = AutomaticAnswer | Escalation;

export interface Answerer {
  answer(question: SupportQuestion): AnswerResult;
}

export interface AnswererOptions {
  /** The knowledge base, from loadKnowledgeBase. */
  readonly entries: readonly KnowledgeBaseEntry[];
  /** The synonym dictionary, from loadSynonyms. */
  readonly synonyms: Synonyms;
  /** The entries indexed ahead with these synonyms (indexKnowledge); indexed here when absent. */
  readonly index?: KnowledgeIndex;
  /** The confidence an answer needs, in [0, 1]; DEFAULT_THRESHOLD by default. */
  readonly threshold?: number;
}

/** A clause counts as asking about a topic when it finds an answer this confidently on its own. */
const CLAUSE_CONFIDENCE = 0.5;
/** Clauses with fewer terms than this say too little to count as a question of their own. */
const CLAUSE_TERMS = 2;
/** A clause is a second question when the best answer holds less than this share of its known terms. */
const CLAUSE_COVERED = 0.5;

export function createAnswerer(options: AnswererOptions): Answerer {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be between 0 and 1, not ${threshold}`);
  const byKey = new Map(options.entries.map((entry) => [`${entry.id}/${entry.locale}`, entry]));
  const tokenizer = createTokenizer(options.synonyms);
  const search = loadKnowledgeSearch(options.index ?? indexKnowledge(options.entries, tokenizer), tokenizer);

  /** The best answer for a text, with its confidence. */
  const best = (text: string, language: Language) => {
    const outcome = search.search(text, language);
    return { outcome, entryId: outcome.hits[0]?.entryId, confidence: confidenceOf(matchEvidence(outcome, search)) };
  };

  /**
   * The answers, other than `bestId`, that clauses of the message find confidently on their own,
   * for clauses whose terms `bestId` mostly lacks: a clause the best answer covers is context
   * ("which renewed last week"), not a second question.
   */
  const otherTopics = (message: string, language: Language, bestId: string): Set<string> => {
    const topics = new Set<string>();
    const clauses = clausesOf(message);
    if (clauses.length < 2) return topics;
    const covered = search.entryTerms(bestId, language);
    for (const clause of clauses) {
      const found = best(clause, language);
      if (!found.entryId || found.entryId === bestId || found.outcome.terms.length < CLAUSE_TERMS || found.confidence < CLAUSE_CONFIDENCE) continue;
      const known = found.outcome.terms.filter((term) => search.termWeight(term, language) !== undefined);
      const weight = (terms: readonly string[]) => terms.reduce((total, term) => total + (search.termWeight(term, language) ?? 0), 0);
      if (weight(known.filter((term) => covered.has(term))) < CLAUSE_COVERED * weight(known)) topics.add(found.entryId);
    }
    return topics;
  };

  return {
    answer({ subject, message, locale }) {
      const text = subject?.trim() ? `${subject.trim()}\n${message}` : message;
      const language = messageLanguage(text);
      const found = best(text, language);
      const escalate = (reason: EscalationReason, signals: readonly Signal[] = []): Escalation => ({
        kind: 'escalate',
        confidence: found.confidence,
        ...(found.entryId ? { bestEntryId: found.entryId } : {}),
        reason,
        signals,
      });

      if (!found.entryId) return escalate('no-match');
      const vetoes = detectSignals(text).filter((signal) => VETO_SIGNALS.has(signal));
      if (vetoes.length > 0) return escalate('signal', vetoes);
      if (found.confidence < threshold) return escalate('low-confidence');
      if (otherTopics(message, language, found.entryId).size > 0) return escalate('several-topics');

      const reply = byKey.get(`${found.entryId}/${replyLanguage(locale, text)}`) ?? byKey.get(`${found.entryId}/${language}`);
      if (!reply) return escalate('no-match');
      return { kind: 'answer', entryId: reply.id, locale: reply.locale, title: reply.title, body: reply.answer, confidence: found.confidence };
    },
  };
}
