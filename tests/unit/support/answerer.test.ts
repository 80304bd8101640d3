import { describe, expect, it } from 'vitest';
import { createAnswerer, DEFAULT_THRESHOLD, type AnswerResult } from '#shared/support/answerer.ts';
import { loadKnowledgeBase } from '#shared/support/knowledge-base.ts';
import { loadSynonyms } from '#shared/support/synonyms.ts';

const entries = loadKnowledgeBase();
const answerer = createAnswerer({ entries, synonyms: loadSynonyms() });
const entry = (id: string, locale: 'en' | 'ko') => entries.find((candidate) => candidate.id === id && candidate.locale === locale);

describe('answering from the knowledge base', () => {
  it('answers an English question with the English entry, as the email template needs it', () => {
    const result = answerer.answer({ message: 'How do I track my parcel?', locale: 'en-US' });
    expect(result).toEqual({
      kind: 'answer',
      entryId: 'delivery-tracking',
      locale: 'en',
      title: entry('delivery-tracking', 'en')?.title,
      body: entry('delivery-tracking', 'en')?.answer,
      confidence: expect.any(Number),
    });
    expect(result.confidence).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it.each([
    ['I spilled coffee on the couch, how do I get it out?', 'en-GB', 'sofa-fabric-care', 'en'],
    ['My card was declined at checkout', 'en-US', 'payment-failed', 'en'],
    ['How long until I get my money back?', 'en-US', 'refund-timing', 'en'],
    ['쇼파에 커피를 쏟았는데 어떻게 지워요?', 'ko-KR', 'sofa-fabric-care', 'ko'],
    ['택배 배송조회는 어디서 해요?', 'ko-KR', 'delivery-tracking', 'ko'],
    ['비번을 잊어버렸어요', 'ko', 'reset-password', 'ko'],
  ])('answers %j (%s) with %s in %s', (message, locale, entryId, language) => {
    expect(answerer.answer({ message, locale })).toMatchObject({ kind: 'answer', entryId, locale: language });
  });

  it('answers a Korean message in Korean even when the locale says English', () => {
    expect(answerer.answer({ message: '케어플러스 해지는 어떻게 하나요?', locale: 'en-US' })).toMatchObject({
      kind: 'answer',
      entryId: 'care-plus-cancel',
      locale: 'ko',
      title: entry('care-plus-cancel', 'ko')?.title,
    });
  });

  it('searches an English message in English and answers in Korean for a Korean locale', () => {
    expect(answerer.answer({ message: 'How do I cancel care-plus?', locale: 'ko-KR' })).toMatchObject({
      kind: 'answer',
      entryId: 'care-plus-cancel',
      locale: 'ko',
    });
  });

  it('reads the subject together with the message', () => {
    expect(answerer.answer({ subject: 'Invoice', message: 'Where can I download it?', locale: 'en' })).toMatchObject({ kind: 'answer', entryId: 'invoices' });
  });
});

describe('escalating', () => {
  const escalation = (message: string, locale = 'en-US', subject?: string): AnswerResult =>
    answerer.answer({ message, locale, ...(subject ? { subject } : {}) });

  it.each([
    ['I will take you to court and call my lawyer about this refund.', ['legal']],
    ['소송 걸겠습니다. 환불해 주세요.', ['legal']],
    ['The desk lamp sparked and there is a burning smell', ['safety']],
    ['데스크 램프 만지다가 감전됐어요', ['safety']],
    ['Can I talk to a real person please?', ['human']],
    ['상담원 연결해 주세요', ['human']],
    ['Where is my order o-48213, the tracking has not moved', ['order-reference']],
    ['주문번호 o-30118 배송조회가 안 돼요', ['order-reference']],
    ['This is unacceptable, the worst shop ever. How do I return the chair?', ['anger']],
    ['진짜 최악이네요 반품 어떻게 해요', ['anger']],
    ['You sent me the wrong colour sofa', ['wrong-item']],
    ['I was charged twice for my order', ['billing-error']],
  ])('escalates %j for its signals', (message, signals) => {
    expect(escalation(message)).toMatchObject({ kind: 'escalate', reason: 'signal', signals });
  });

  it('escalates what the knowledge base does not cover, with a low confidence', () => {
    for (const message of ['Do you sell outdoor garden furniture?', 'Can I apply for a job at Oak & Co?', '야외용 가구도 파시나요?']) {
      const result = escalation(message);
      expect(result, message).toMatchObject({ kind: 'escalate', reason: 'low-confidence' });
      expect(result.confidence, message).toBeLessThan(DEFAULT_THRESHOLD);
    }
  });

  it('escalates a message that asks about several topics', () => {
    const result = escalation('How do I reset the smart bulb? Also, can I pay by bank transfer?');
    expect(result).toMatchObject({ kind: 'escalate', reason: 'several-topics' });
  });

  it('escalates a message without any term, and names no entry', () => {
    expect(escalation('hello?')).toEqual({ kind: 'escalate', confidence: 0, reason: 'no-match', signals: [] });
    expect(escalation('   ')).toEqual({ kind: 'escalate', confidence: 0, reason: 'no-match', signals: [] });
  });

  it('still names the best entry found, for the person who takes over', () => {
    expect(escalation('My smart bulb is smoking, how do I reset it?')).toMatchObject({
      kind: 'escalate',
      bestEntryId: 'smart-bulb-reset',
      signals: ['safety'],
    });
  });

  it('never puts the message text in the result', () => {
    const message = 'Please call me back on 010-1234-5678 about my sofa, Jane Doe';
    expect(JSON.stringify(escalation(message))).not.toMatch(/010-1234-5678|Jane|Doe/);
  });
});

describe('the threshold', () => {
  it('escalates what would be answered when set higher than its confidence', () => {
    const question = { message: 'How long does delivery of the sofa take?', locale: 'en' };
    const answered = answerer.answer(question);
    expect(answered.kind).toBe('answer');
    const strict = createAnswerer({ entries, synonyms: loadSynonyms(), threshold: Math.min(1, answered.confidence + 0.001) });
    expect(strict.answer(question)).toMatchObject({
      kind: 'escalate',
      reason: 'low-confidence',
      bestEntryId: 'delivery-times',
      confidence: answered.confidence,
    });
  });

  it('must be between 0 and 1', () => {
    expect(() => createAnswerer({ entries, synonyms: [], threshold: 1.5 })).toThrow(RangeError);
    expect(() => createAnswerer({ entries, synonyms: [], threshold: Number.NaN })).toThrow(RangeError);
  });
});
