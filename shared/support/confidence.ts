/**
 * How sure we are that the best answer found answers the message: a number in [0, 1].
 *
 * Search scores are not comparable between messages (a long message scores higher than a short
 * one), so the confidence is built from shares that are:
 *
 *   coverage       the share of the message's terms the best answer contains,
 *   questionMatch  the share of one of the best answer's questions found in the message (the
 *                  customer asked what the knowledge base says customers ask; a question of
 *                  little weight counts as if it weighed MIN_QUESTION_WEIGHT),
 *   margin         how far the best answer's score is ahead of the second's (1 − second/best),
 *   competing      the share of the message's terms another answer contains and the best does
 *                  not: a second topic, or a question the best answer leaves open,
 *   unknown        the share of the message's terms no answer uses at all: a topic the knowledge
 *                  base does not cover.
 *
 * Shares are weighted by how telling each term is (inverse document frequency), so "sofa", which
 * many answers mention, counts less than "invoice". A term no answer uses weighs UNKNOWN_WEIGHT;
 * Korean ones less, since leftovers of endings stuck to words are unknown bigrams too.
 *
 * The confidence is a logistic function of these shares. Its coefficients were fitted by logistic
 * regression on the labelled inquiries that are not held out (tests/fixtures/support/
 * inquiries.yaml), without those a veto signal escalates anyway, the target being "the best
 * answer is the right one", with wrong answers weighing five times as much as right ones (a
 * wrong answer is worse than an escalation), and then rounded. `competing` is set by hand: the
 * fitting set has too few messages with two topics to learn it, and a second topic is a reason
 * to doubt, never to trust. The held-out inquiries measure the result (tests/unit/support/
 * quality.test.ts).
 */
import type { Language } from './language.ts';
import type { KnowledgeSearch, SearchOutcome } from './search.ts';

export interface MatchEvidence {
  readonly coverage: number;
  readonly questionMatch: number;
  readonly margin: number;
  readonly competing: number;
  readonly unknown: number;
}

/** The weight of a term no answer uses, per language of the message. */
export const UNKNOWN_WEIGHT: Readonly<Record<Language, number>> = { en: 3, ko: 1.5 };

/** The logistic model: confidence = 1 / (1 + e^−(intercept + Σ coefficient × share)). */
export const CONFIDENCE_MODEL = {
  intercept: -7,
  coverage: 2.5,
  questionMatch: 7,
  margin: 5.5,
  competing: -1.5,
  unknown: -3,
} as const;

const HITS_COMPARED = 5;
/**
 * A question that comes down to one common term ("How much is delivery?" is `cost delivery`,
 * "Is the sofa available?" is `sofa`) matches half the messages; it counts as if it weighed at
 * least this much, about one rare term and one common one.
 */
const MIN_QUESTION_WEIGHT = 4;

/** The evidence for the best hit of a search; undefined when nothing matched. */
export function matchEvidence(outcome: SearchOutcome, search: KnowledgeSearch): MatchEvidence | undefined {
  const [best, second] = outcome.hits;
  if (!best || best.score <= 0) return undefined;
  const weight = (term: string) => search.termWeight(term, outcome.language) ?? UNKNOWN_WEIGHT[outcome.language];
  const sum = (terms: Iterable<string>) => {
    let total = 0;
    for (const term of terms) total += weight(term);
    return total;
  };
  const total = sum(outcome.terms);
  if (total <= 0) return undefined;

  const inBest = new Set(best.matchedTerms);
  const elsewhere = new Set<string>();
  for (const hit of outcome.hits.slice(1, HITS_COMPARED)) for (const term of hit.matchedTerms) if (!inBest.has(term)) elsewhere.add(term);
  // A typo that matched an answer (adress → address) is not a topic the knowledge base lacks.
  const matchedAnywhere = new Set(outcome.hits.slice(0, HITS_COMPARED).flatMap((hit) => hit.matchedTerms));
  const unknown = outcome.terms.filter((term) => search.termWeight(term, outcome.language) === undefined && !matchedAnywhere.has(term));

  const asked = new Set(outcome.terms);
  let questionMatch = 0;
  for (const question of search.questionTerms(best.entryId, outcome.language)) {
    const size = Math.max(sum(question), MIN_QUESTION_WEIGHT);
    questionMatch = Math.max(questionMatch, sum(question.filter((term) => asked.has(term))) / size);
  }

  return {
    coverage: sum(inBest) / total,
    questionMatch,
    margin: second ? Math.max(0, 1 - second.score / best.score) : 1,
    competing: sum(elsewhere) / total,
    unknown: sum(unknown) / total,
  };
}

/** The confidence, in [0, 1], that the best hit answers the message. */
export function confidenceOf(evidence: MatchEvidence | undefined): number {
  if (!evidence) return 0;
  const model = CONFIDENCE_MODEL;
  const z =
    model.intercept +
    model.coverage * evidence.coverage +
    model.questionMatch * evidence.questionMatch +
    model.margin * evidence.margin +
    model.competing * evidence.competing +
    model.unknown * evidence.unknown;
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
