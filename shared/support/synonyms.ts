/**
 * The synonym dictionary (`shared/support/synonyms.yaml`): customers' everyday words mapped to the
 * words the knowledge base uses, per language:
 *
 *   en:
 *     sofa: [couch, settee]          # the shop's term: the customers' variants
 *   ko:
 *     배송: [택배, 배달]
 *
 * A variant belongs to one term only, and no term is itself a variant (rewriting happens once, so
 * a chain a → b → c would stop halfway). How variants are matched is the tokenizer's business:
 * see tokenize.ts.
 */
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { LANGUAGES, type Language } from './language.ts';
import { displayName, issueLines, readYamlFile, SupportFileError } from './support-files.ts';

/** One term and the words customers use for it. */
export interface SynonymMapping {
  readonly language: Language;
  /** The shop's word, as the knowledge base writes it: `sofa`, `배송`, `discount code`. */
  readonly term: string;
  /** What customers write instead: `couch`, `택배`, `promo code`. */
  readonly variants: readonly string[];
}

export type Synonyms = readonly SynonymMapping[];

/**
 * Where the dictionary is: next to this module in the repository. In AWS the file is copied next
 * to the Lambda bundle and its path passed to loadSynonyms.
 */
export const SYNONYMS_FILE: string = fileURLToPath(new URL('./synonyms.yaml', import.meta.url));

const word = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(60, { error: 'must be at most 60 characters' })
  .transform((value) => value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' '));

const section = z.record(
  z.string().trim().min(1, { error: 'a term must not be empty' }),
  z.array(word, { error: 'must be a list of the variants customers use' }).min(1, { error: 'must list at least 1 variant' }),
  { error: 'must map each term to the list of its variants' },
);

const Dictionary = z.strictObject(
  { en: section.optional(), ko: section.optional() },
  {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} (the dictionary has one section per language: ${LANGUAGES.join(', ')})`;
      if (issue.code === 'invalid_type') return `must map each language (${LANGUAGES.join(', ')}) to its terms`;
      return undefined;
    },
  },
);

/** Problems no schema sees: a variant listed twice, or a variant that is also a term. */
function crossCheck(file: string, mappings: Synonyms): string[] {
  const problems: string[] = [];
  for (const language of LANGUAGES) {
    const inLanguage = mappings.filter((mapping) => mapping.language === language);
    const terms = new Set(inLanguage.map((mapping) => mapping.term.normalize('NFKC').toLowerCase()));
    const owner = new Map<string, string>();
    for (const { term, variants } of inLanguage) {
      variants.forEach((variant, index) => {
        const at = `${file}: ${language}.${term}[${index}]`;
        const first = owner.get(variant);
        if (variant === term.normalize('NFKC').toLowerCase()) problems.push(`${at}: "${variant}" is the term itself`);
        else if (terms.has(variant)) problems.push(`${at}: "${variant}" is itself a term; map its variants to ${term} directly`);
        else if (first !== undefined && first !== term) problems.push(`${at}: "${variant}" is already a variant of ${first}`);
        else if (first === term) problems.push(`${at}: "${variant}" is listed twice`);
        else owner.set(variant, term);
      });
    }
  }
  return problems;
}

/** The dictionary in `file`. Throws a SupportFileError naming the file and the field of each problem. */
export function loadSynonyms(file: string = SYNONYMS_FILE): Synonyms {
  const name = displayName(file);
  const parsed = Dictionary.safeParse(readYamlFile(file));
  if (!parsed.success) throw new SupportFileError(issueLines(name, parsed.error.issues));
  const mappings: SynonymMapping[] = LANGUAGES.flatMap((language) =>
    Object.entries(parsed.data[language] ?? {}).map(([term, variants]) => ({ language, term: term.trim(), variants })),
  );
  const problems = crossCheck(name, mappings);
  if (problems.length > 0) throw new SupportFileError(problems);
  return mappings;
}
