/**
 * The two languages of the support stage's answers, and how to choose between them. A message
 * is searched in the language it is written in (Hangul means Korean); the answer is written in
 * Korean when either the customer's locale (`ko`, `ko-KR`) or the message is Korean, in English
 * otherwise. The same answer exists in both languages under one id, so an English message from
 * a customer whose locale is Korean is found in English and answered in Korean.
 */

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

const HANGUL = /\p{Script=Hangul}/gu;
const LETTER = /\p{L}/gu;

/** Whether a text is mostly Korean: at least a fifth of its letters are Hangul. */
export function isKorean(text: string): boolean {
  const hangul = text.match(HANGUL)?.length ?? 0;
  if (hangul === 0) return false;
  const letters = text.match(LETTER)?.length ?? 0;
  return hangul * 5 >= letters;
}

/** The language a message is written in, for searching. */
export function messageLanguage(text: string): Language {
  return isKorean(text) ? 'ko' : 'en';
}

/** Whether a BCP 47 locale is Korean: `ko`, `ko-KR`, `KO_kr`. */
export function isKoreanLocale(locale: string | undefined): boolean {
  return /^ko(?:$|[-_])/i.test(locale?.trim() ?? '');
}

/** The language to answer in: Korean for a Korean locale or a Korean message, English otherwise. */
export function replyLanguage(locale: string | undefined, text: string): Language {
  return isKoreanLocale(locale) || isKorean(text) ? 'ko' : 'en';
}
