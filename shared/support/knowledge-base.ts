/**
 * The knowledge base: the answers the support stage may send on its own, kept as YAML in the
 * repository (`shared/support/knowledge-base/*.yaml`) and reviewed like code. Each file holds a
 * list of entries, usually one topic; every answer is written in English and in Korean, as two
 * entries sharing one id:
 *
 *   - id: delivery-tracking          # kebab-case, shared by the two languages
 *     locale: en                     # en or ko
 *     title: Tracking your delivery  # becomes answer.title in the support-reply email
 *     questions: [How can I track my order?, Where is my parcel?]   # ways customers ask it
 *     answer: |                      # answer.body: plain text, paragraphs split by a blank line
 *       As soon as your order leaves our warehouse, ...
 *     tags: [delivery, tracking]
 *
 * The loader checks every file and reports every problem at once, naming file and field
 * (`delivery.yaml: [3].questions: must list at least 2 ways customers ask`), and refuses an
 * answer that exists in one language only.
 */
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { LANGUAGES, type Language } from './language.ts';
import { displayName, issueLines, readYamlFile, requiredOr, SupportFileError } from './support-files.ts';

/** One answer in one language. */
export interface KnowledgeBaseEntry {
  readonly id: string;
  readonly locale: Language;
  readonly title: string;
  readonly questions: readonly string[];
  /** Plain text; paragraphs separated by one blank line, no trailing spaces. */
  readonly answer: string;
  readonly tags: readonly string[];
}

/**
 * Where the knowledge base is: next to this module in the repository. In AWS the folder is
 * copied next to the Lambda bundle and its path passed to loadKnowledgeBase.
 */
export const KNOWLEDGE_BASE_DIR: string = fileURLToPath(new URL('./knowledge-base', import.meta.url));

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Answers are inserted into an email template as text: markup would show as is, or be escaped.
const MARKUP = /<\/?[a-z!][^>]*>|\{\{|\{%/i;

const text = (what: string, max: number) =>
  z
    .string({ error: requiredOr(`must be ${what}`) })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

/** Paragraphs separated by exactly one blank line, without stray spaces or Windows line ends. */
function tidyAnswer(answer: string): string {
  return answer
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n(?:[ \t]*\n)*/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.trim())
        .join('\n')
        .trim(),
    )
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}

const Entry = z.strictObject(
  {
    id: z
      .string({ error: requiredOr('must be a string') })
      .regex(KEBAB, { error: 'must be lowercase letters and digits joined by dashes, such as delivery-tracking' }),
    locale: z.enum(LANGUAGES, { error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${LANGUAGES.join(', ')}`) }),
    title: text('a one-line title', 120).refine((title) => !title.includes('\n'), { error: 'must be one line' }),
    questions: z
      .array(text('a question', 300), { error: requiredOr('must be a list of the ways customers ask') })
      .min(2, { error: 'must list at least 2 ways customers ask' }),
    answer: text('plain text', 4000)
      .refine((answer) => !MARKUP.test(answer), { error: 'must be plain text, without HTML tags or template syntax' })
      .transform(tidyAnswer),
    tags: z
      .array(z.string({ error: 'must be a string' }).regex(KEBAB, { error: 'must be lowercase words joined by dashes' }), {
        error: requiredOr('must be a list of tags'),
      })
      .min(1, { error: 'must list at least 1 tag' }),
  },
  {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} (an entry takes id, locale, title, questions, answer, tags)`;
      }
      if (issue.code === 'invalid_type') return 'must be an entry: an object with id, locale, title, questions, answer and tags';
      return undefined;
    },
  },
);

/** The YAML files of a folder, sorted by name. */
function knowledgeBaseFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new SupportFileError([`${displayName(dir)}: the knowledge-base folder does not exist or cannot be read`]);
  }
  return names
    .filter((name) => ['.yaml', '.yml'].includes(extname(name)))
    .sort()
    .map((name) => join(dir, name));
}

/** The entries of one file, or its problems. */
function parseFile(path: string): { entries: { entry: KnowledgeBaseEntry; index: number }[]; problems: string[] } {
  const file = displayName(path);
  const content = readYamlFile(path);
  if (!Array.isArray(content)) return { entries: [], problems: [`${file}: must be a list of entries`] };
  const entries: { entry: KnowledgeBaseEntry; index: number }[] = [];
  const problems: string[] = [];
  content.forEach((item: unknown, index) => {
    const parsed = Entry.safeParse(item);
    if (parsed.success) entries.push({ entry: parsed.data, index });
    else problems.push(...issueLines(file, parsed.error.issues, [index]));
  });
  return { entries, problems };
}

/**
 * Every entry of the knowledge base in `dir`, in file order. Throws a SupportFileError listing
 * every problem: invalid files and fields, an id defined twice in one language, an answer that
 * exists in one language only, or a folder without entries.
 */
export function loadKnowledgeBase(dir: string = KNOWLEDGE_BASE_DIR): KnowledgeBaseEntry[] {
  const problems: string[] = [];
  const loaded: { entry: KnowledgeBaseEntry; index: number; file: string }[] = [];
  for (const path of knowledgeBaseFiles(dir)) {
    try {
      const { entries, problems: found } = parseFile(path);
      problems.push(...found);
      loaded.push(...entries.map((item) => ({ ...item, file: displayName(path) })));
    } catch (error) {
      if (!(error instanceof SupportFileError)) throw error;
      problems.push(...error.problems);
    }
  }

  const where = new Map<string, string>();
  for (const { entry, index, file } of loaded) {
    const key = `${entry.id}/${entry.locale}`;
    const first = where.get(key);
    if (first) problems.push(`${file}: [${index}].id: ${entry.id} is already defined in ${entry.locale} in ${first}`);
    else where.set(key, `${file} [${index}]`);
  }
  for (const { entry, index, file } of loaded) {
    for (const language of LANGUAGES) {
      if (!where.has(`${entry.id}/${language}`))
        problems.push(`${file}: [${index}].id: ${entry.id} has no ${language} version; every answer is written in ${LANGUAGES.join(' and ')}`);
    }
  }
  if (problems.length === 0 && loaded.length === 0) problems.push(`${displayName(dir)}: the knowledge base has no entries`);
  if (problems.length > 0) throw new SupportFileError([...new Set(problems)]);
  return loaded.map(({ entry }) => entry);
}
