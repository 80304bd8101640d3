import { describe, expect, it } from 'vitest';
import { loadSynonyms } from '#shared/support/synonyms.ts';
import { createTokenizer, hangulBigrams, normalizeText, stemEnglish, stripKoreanEnding } from '#shared/support/tokenize.ts';

const plain = createTokenizer();
const shop = createTokenizer(loadSynonyms());

describe('Korean', () => {
  it('cuts Hangul into overlapping bigrams, and keeps a one-syllable word whole', () => {
    expect(hangulBigrams('배송조회')).toEqual(['배송', '송조', '조회']);
    expect(hangulBigrams('앱')).toEqual(['앱']);
    expect(plain.tokens('스마트 전구 앱')).toEqual(['스마', '마트', '전구', '앱']);
  });

  it('strips the ending or particle a word carries, so 배송이 matches 배송', () => {
    expect(stripKoreanEnding('배송이')).toBe('배송');
    expect(stripKoreanEnding('도착하나요')).toBe('도착');
    expect(stripKoreanEnding('오프라인으로')).toBe('오프라인');
    expect(plain.tokens('배송이')).toEqual(['배송']);
    expect(plain.tokens('소파는 언제 배송되나요?')).toEqual(['소파', '언제', '배송']);
  });

  it('finds the same bigrams in text written with and without spaces', () => {
    expect(plain.tokens('배송조회')).toEqual(expect.arrayContaining(plain.tokens('배송 조회')));
  });

  it('drops greetings, politeness and bare particles', () => {
    expect(plain.tokens('안녕하세요 감사합니다 저기요')).toEqual([]);
    expect(plain.tokens('이 가 을')).toEqual([]);
  });

  it('rewrites customers’ words to the shop’s inside words, spelling variants included', () => {
    expect(shop.tokens('쇼파')).toEqual(shop.tokens('소파'));
    expect(shop.tokens('택배가 안 와요')).toEqual(['배송', '지연']);
    expect(shop.tokens('환불받고 싶어요')).toEqual(['환불']);
    expect(shop.tokens('배송조회어디서해')).toEqual(expect.arrayContaining(['배송', '추적']));
    expect(shop.tokens('광고메일 그만 받고 싶어요')).toEqual(shop.tokens('뉴스레터 수신 거부'));
  });

  it('keeps a shop term whole where a shorter variant hides inside it (재입고, not 재 + 재입고)', () => {
    expect(shop.tokens('재입고')).toEqual(['재입', '입고']);
    expect(shop.tokens('입고')).toEqual(['재입', '입고']);
  });
});

describe('English', () => {
  it('stems lightly', () => {
    expect(['couches', 'cancelled', 'shipping', 'deliveries', 'arrived', 'removable'].map(stemEnglish)).toEqual([
      'couch',
      'cancel',
      'ship',
      'delivery',
      'arriv',
      'remov',
    ]);
    expect(stemEnglish('dress')).toBe('dress');
  });

  it('drops stop words and bare numbers, and splits a number from its unit', () => {
    expect(plain.tokens('Hi! How long does the delivery take? Order 12345')).toEqual(['long', 'delivery', 'tak', 'order']);
    expect(plain.tokens('5GHz wifi')).toEqual(['ghz', 'wifi']);
  });

  it('rewrites everyday words and phrases to the shop’s terms, after stemming', () => {
    expect(shop.tokens('couches')).toEqual(['sofa']);
    expect(shop.tokens('I want my money back')).toEqual(['refund']);
    expect(shop.tokens('my parcel arrived busted')).toEqual(['delivery', 'arriv', 'damag']);
    expect(shop.tokens('promo code')).toEqual(shop.tokens('discount code'));
    expect(shop.tokens('care-plus')).toEqual(['careplus']);
  });
});

describe('the repository dictionary', () => {
  it('leaves every term as it is: no variant collides with a word of a term once stemmed', () => {
    for (const { term } of loadSynonyms()) expect(shop.tokens(term), term).toEqual(plain.tokens(term));
  });
});

describe('normalisation', () => {
  it('folds width and case (NFKC) and removes apostrophes', () => {
    expect(normalizeText('ＳＯＦＡ Don’t customer’s')).toBe('sofa dont customer');
    expect(shop.tokens('ＣＯＵＣＨ')).toEqual(['sofa']);
  });

  it('handles both languages in one text', () => {
    expect(shop.tokens('DHL 택배 tracking')).toEqual(['dhl', '배송', 'track']);
  });
});
