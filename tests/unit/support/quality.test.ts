/**
 * The quality of the automatic answers over the labelled inquiries (tests/fixtures/support): how
 * many the answerer handles on its own (automation rate = answered / all) and how many of those
 * it gets right (precision = correct answers / answered). An inquiry labelled `escalate` that is
 * answered counts as a wrong answer. The report is printed for the whole set, per language of the
 * message, and for the held-out third that played no part in tuning.
 */
import { describe, expect, it } from 'vitest';
import { createAnswerer, type AnswerResult } from '#shared/support/answerer.ts';
import { loadKnowledgeBase } from '#shared/support/knowledge-base.ts';
import { prepareKnowledge, type PreparedKnowledge } from '#shared/support/prepared-knowledge.ts';
import { loadSynonyms } from '#shared/support/synonyms.ts';
import { loadInquiries, writtenInKorean, type Inquiry } from '#tests/fixtures/support/inquiries.ts';

interface Outcome {
  readonly inquiry: Inquiry;
  readonly result: AnswerResult;
}

interface Score {
  readonly inquiries: number;
  readonly answered: number;
  readonly correct: number;
  readonly automation: number;
  readonly precision: number;
}

/** Automation and precision; an answer is correct only when it is the labelled entry. */
function score(outcomes: readonly Outcome[]): Score {
  const answered = outcomes.filter(({ result }) => result.kind === 'answer');
  const correct = answered.filter(({ inquiry, result }) => result.kind === 'answer' && result.entryId === inquiry.expected);
  return {
    inquiries: outcomes.length,
    answered: answered.length,
    correct: correct.length,
    automation: outcomes.length ? answered.length / outcomes.length : 0,
    precision: answered.length ? correct.length / answered.length : 1,
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(7);

const entries = loadKnowledgeBase();
const inquiries = loadInquiries();
// As the function answers: from the knowledge base indexed ahead, after its trip through JSON.
const answerer = createAnswerer(JSON.parse(JSON.stringify(prepareKnowledge(entries, loadSynonyms()))) as PreparedKnowledge);
const outcomes: Outcome[] = inquiries.map((inquiry) => ({
  inquiry,
  result: answerer.answer({ message: inquiry.message, locale: inquiry.locale, ...(inquiry.subject ? { subject: inquiry.subject } : {}) }),
}));

describe('the labelled inquiries', () => {
  it('are at least 150, with 60 in each language, 40 to escalate, and about a third held out', () => {
    expect(inquiries.length).toBeGreaterThanOrEqual(150);
    expect(inquiries.filter(writtenInKorean).length).toBeGreaterThanOrEqual(60);
    expect(inquiries.filter((inquiry) => !writtenInKorean(inquiry)).length).toBeGreaterThanOrEqual(60);
    expect(inquiries.filter((inquiry) => inquiry.expected === 'escalate').length).toBeGreaterThanOrEqual(40);
    const heldOut = inquiries.filter((inquiry) => inquiry.heldOut).length / inquiries.length;
    expect(heldOut).toBeGreaterThan(0.28);
    expect(heldOut).toBeLessThan(0.38);
    expect(new Set(inquiries.map((inquiry) => inquiry.id)).size).toBe(inquiries.length);
  });

  it('expect only entries that exist, and every entry exists in both languages', () => {
    const languages = new Map<string, Set<string>>();
    for (const entry of entries) languages.set(entry.id, (languages.get(entry.id) ?? new Set()).add(entry.locale));
    for (const [id, found] of languages) expect([...found].sort(), id).toEqual(['en', 'ko']);
    for (const inquiry of inquiries) {
      if (inquiry.expected !== 'escalate') expect(languages.has(inquiry.expected), `${inquiry.id} expects ${inquiry.expected}`).toBe(true);
    }
  });
});

describe('the automatic answers', () => {
  it('count an escalate-labelled inquiry that is answered as a wrong answer', () => {
    const inquiry: Inquiry = { id: 'en-999', locale: 'en', channel: 'email', message: 'Talk to my lawyer', expected: 'escalate' };
    const answered: AnswerResult = { kind: 'answer', entryId: 'warranty', locale: 'en', title: 't', body: 'b', confidence: 0.9 };
    const escalated: AnswerResult = { kind: 'escalate', confidence: 0.2, reason: 'low-confidence', signals: [] };
    expect(score([{ inquiry, result: answered }])).toMatchObject({ answered: 1, correct: 0, precision: 0 });
    expect(score([{ inquiry, result: escalated }])).toMatchObject({ answered: 0, automation: 0, precision: 1 });
  });

  it('answer at least half the inquiries, and at least 95% of their answers are right', () => {
    const groups: [string, Outcome[]][] = [
      ['all', outcomes],
      ['en', outcomes.filter(({ inquiry }) => !writtenInKorean(inquiry))],
      ['ko', outcomes.filter(({ inquiry }) => writtenInKorean(inquiry))],
      ['held-out', outcomes.filter(({ inquiry }) => inquiry.heldOut)],
    ];
    const lines = ['group      inquiries  answered  correct  automation  precision'];
    for (const [name, group] of groups) {
      const { inquiries: count, answered, correct, automation, precision } = score(group);
      lines.push(
        `${name.padEnd(10)} ${String(count).padStart(9)} ${String(answered).padStart(9)} ${String(correct).padStart(8)} ${percent(automation).padStart(11)} ${percent(precision).padStart(10)}`,
      );
    }
    const wrong = outcomes.filter(({ inquiry, result }) => result.kind === 'answer' && result.entryId !== inquiry.expected);
    for (const { inquiry, result } of wrong)
      lines.push(`wrong: ${inquiry.id} expected ${inquiry.expected}, answered ${result.kind === 'answer' ? result.entryId : ''}`);
    console.log(`Support answers over ${inquiries.length} labelled inquiries\n${lines.join('\n')}`);

    const overall = score(outcomes);
    expect(overall.automation).toBeGreaterThanOrEqual(0.5);
    expect(overall.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('answer in Korean for a Korean locale or a Korean message, in English otherwise', () => {
    for (const { inquiry, result } of outcomes) {
      if (result.kind !== 'answer') continue;
      const korean = inquiry.locale.startsWith('ko') || writtenInKorean(inquiry);
      expect(result.locale, inquiry.id).toBe(korean ? 'ko' : 'en');
    }
  });

  it('give a confidence in [0, 1] to every result', () => {
    for (const { inquiry, result } of outcomes) {
      expect(result.confidence, inquiry.id).toBeGreaterThanOrEqual(0);
      expect(result.confidence, inquiry.id).toBeLessThanOrEqual(1);
    }
  });
});
