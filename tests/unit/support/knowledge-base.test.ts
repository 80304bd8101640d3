import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KNOWLEDGE_BASE_DIR, loadKnowledgeBase } from '#shared/support/knowledge-base.ts';
import { SupportFileError } from '#shared/support/support-files.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'knowledge-base-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const entry = (id: string, locale: string, extra = '') => `
- id: ${id}
  locale: ${locale}
  title: Title of ${id}
  questions: [First way to ask ${id}?, Second way to ask ${id}?]
  answer: |
    First paragraph.

    Second paragraph.
  tags: [test]${extra}
`;

/** The problems loadKnowledgeBase reports for the folder, one a line. */
function problems(): string[] {
  try {
    loadKnowledgeBase(dir);
  } catch (error) {
    if (error instanceof SupportFileError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('the knowledge base in the repository', () => {
  const entries = loadKnowledgeBase();

  it('has at least 30 answers, each in English and in Korean', () => {
    const ids = new Set(entries.map((entry) => entry.id));
    expect(ids.size).toBeGreaterThanOrEqual(30);
    for (const id of ids) {
      expect(
        entries
          .filter((entry) => entry.id === id)
          .map((entry) => entry.locale)
          .sort(),
        id,
      ).toEqual(['en', 'ko']);
    }
  });

  it('writes the Korean versions in Korean', () => {
    for (const entry of entries.filter((candidate) => candidate.locale === 'ko')) {
      expect(entry.title + entry.answer, entry.id).toMatch(/[\uAC00-\uD7A3]/);
      for (const question of entry.questions) expect(question, entry.id).toMatch(/[\uAC00-\uD7A3]/);
    }
  });

  it('keeps answers as plain paragraphs separated by one blank line', () => {
    for (const entry of entries) {
      expect(entry.answer, entry.id).not.toMatch(/\n{3,}|[ \t]\n|^\s|\s$/);
      expect(entry.answer, entry.id).toContain('\n\n');
    }
  });

  it('is where KNOWLEDGE_BASE_DIR points', () => {
    expect(KNOWLEDGE_BASE_DIR).toMatch(/shared[\\/]support[\\/]knowledge-base$/);
  });
});

describe('loading a knowledge base', () => {
  it('reads every YAML file of the folder and tidies the answers', () => {
    writeFileSync(join(dir, 'a.yaml'), entry('first-answer', 'en') + entry('first-answer', 'ko'));
    writeFileSync(join(dir, 'b.yml'), entry('second-answer', 'ko') + entry('second-answer', 'en'));
    writeFileSync(join(dir, 'notes.txt'), 'not part of the knowledge base');

    const entries = loadKnowledgeBase(dir);

    expect(entries.map((loaded) => `${loaded.id}/${loaded.locale}`)).toEqual(['first-answer/en', 'first-answer/ko', 'second-answer/ko', 'second-answer/en']);
    expect(entries[0]).toEqual({
      id: 'first-answer',
      locale: 'en',
      title: 'Title of first-answer',
      questions: ['First way to ask first-answer?', 'Second way to ask first-answer?'],
      answer: 'First paragraph.\n\nSecond paragraph.',
      tags: ['test'],
    });
  });

  it('names the file, the entry and the field of every problem', () => {
    writeFileSync(
      join(dir, 'broken.yaml'),
      `
- id: Bad Id
  locale: fr
  title: A title
  questions: [Only one way?]
  answer: <p>HTML</p>
  tags: []
- locale: en
  title: ''
  questions: [One?, Two?]
  answer: Fine.
  tags: [ok]
  owner: crm
`,
    );
    expect(problems()).toEqual([
      `${join(dir, 'broken.yaml')}: [0].id: must be lowercase letters and digits joined by dashes, such as delivery-tracking`,
      `${join(dir, 'broken.yaml')}: [0].locale: must be one of en, ko`,
      `${join(dir, 'broken.yaml')}: [0].questions: must list at least 2 ways customers ask`,
      `${join(dir, 'broken.yaml')}: [0].answer: must be plain text, without HTML tags or template syntax`,
      `${join(dir, 'broken.yaml')}: [0].tags: must list at least 1 tag`,
      `${join(dir, 'broken.yaml')}: [1].id: is required`,
      `${join(dir, 'broken.yaml')}: [1].title: must not be empty`,
      `${join(dir, 'broken.yaml')}: [1]: unknown key "owner" (an entry takes id, locale, title, questions, answer, tags)`,
    ]);
  });

  it('names files relative to the working directory when they are inside it', () => {
    const inside = mkdtempSync(join(process.cwd(), '.tmp-knowledge-base-'));
    try {
      writeFileSync(join(inside, 'x.yaml'), 'id: not-a-list');
      const name = inside.slice(process.cwd().length + 1);
      expect(() => loadKnowledgeBase(inside)).toThrow(new SupportFileError([`${join(name, 'x.yaml')}: must be a list of entries`]));
    } finally {
      rmSync(inside, { recursive: true, force: true });
    }
  });

  it('refuses an answer that exists in one language only, or twice in one language', () => {
    writeFileSync(join(dir, 'a.yaml'), entry('lonely', 'en') + entry('twice', 'en') + entry('twice', 'ko'));
    writeFileSync(join(dir, 'b.yaml'), entry('twice', 'ko'));
    expect(problems()).toEqual([
      `${join(dir, 'b.yaml')}: [0].id: twice is already defined in ko in ${join(dir, 'a.yaml')} [2]`,
      `${join(dir, 'a.yaml')}: [0].id: lonely has no ko version; every answer is written in en and ko`,
    ]);
  });

  it('reports YAML that does not parse, and a folder that is missing or empty', () => {
    writeFileSync(join(dir, 'bad.yaml'), '- id: [unclosed\n');
    expect(problems()).toEqual([expect.stringMatching(new RegExp(`^${join(dir, 'bad.yaml').replace(/[.\\]/g, '\\$&')}: not valid YAML: `))]);

    rmSync(join(dir, 'bad.yaml'));
    expect(problems()).toEqual([`${dir}: the knowledge base has no entries`]);
    expect(() => loadKnowledgeBase(join(dir, 'missing'))).toThrow(/missing: the knowledge-base folder does not exist or cannot be read$/);
  });
});
