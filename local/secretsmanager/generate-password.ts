/**
 * A secret's generated value, as CloudFormation's GenerateSecretString (and Secrets Manager's
 * GetRandomPassword) make it: a random password from the character classes not excluded, with at
 * least one character of each class unless told otherwise; with SecretStringTemplate and
 * GenerateStringKey, that JSON object with the password added under the key.
 */

export interface GenerateSecretString {
  /** @default 32 */
  readonly PasswordLength?: number;
  readonly ExcludeCharacters?: string;
  readonly ExcludeNumbers?: boolean;
  readonly ExcludePunctuation?: boolean;
  readonly ExcludeUppercase?: boolean;
  readonly ExcludeLowercase?: boolean;
  readonly IncludeSpace?: boolean;
  /** At least one character of each class that is not excluded. @default true */
  readonly RequireEachIncludedType?: boolean;
  readonly SecretStringTemplate?: string;
  readonly GenerateStringKey?: string;
}

/** Random bytes, e.g. `crypto.randomBytes`; tests pass a fixed sequence. */
export type RandomBytes = (bytes: number) => Buffer;

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
/** The punctuation ExcludePunctuation removes: every ASCII punctuation character. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const MAX_LENGTH = 4096;

/** A uniformly random integer in [0, n): rejection sampling, so no character is favoured. */
function randomIndex(n: number, random: RandomBytes): number {
  const range = 2 ** 32;
  const limit = range - (range % n);
  for (let tries = 0; tries < 1000; tries++) {
    const value = random(4).readUInt32BE(0);
    if (value < limit) return value % n;
  }
  throw new Error('the random source keeps returning out-of-range values');
}

const pick = (characters: string, random: RandomBytes): string => characters[randomIndex(characters.length, random)] ?? '';

export function generatePassword(options: GenerateSecretString, random: RandomBytes): string {
  const length = options.PasswordLength ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > MAX_LENGTH)
    throw new RangeError(`PasswordLength must be a whole number from 1 to ${MAX_LENGTH}, got ${length}`);
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const keep = (characters: string) => [...characters].filter((char) => !excluded.has(char)).join('');
  const classes = [
    options.ExcludeLowercase ? '' : keep(LOWERCASE),
    options.ExcludeUppercase ? '' : keep(UPPERCASE),
    options.ExcludeNumbers ? '' : keep(NUMBERS),
    options.ExcludePunctuation ? '' : keep(PUNCTUATION),
  ].filter((characters) => characters.length > 0);
  const pool = classes.join('') + (options.IncludeSpace && !excluded.has(' ') ? ' ' : '');
  if (pool.length === 0) throw new RangeError('the exclusions leave no characters to generate a password from');

  const required = options.RequireEachIncludedType === false ? [] : classes;
  if (required.length > length)
    throw new RangeError(`a password of ${length} characters cannot hold one of each of the ${required.length} included character types`);
  const characters = [...required.map((characters) => pick(characters, random))];
  while (characters.length < length) characters.push(pick(pool, random));
  // Shuffle (Fisher–Yates), so the required characters are not always first.
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1, random);
    [characters[i], characters[j]] = [characters[j] ?? '', characters[i] ?? ''];
  }
  return characters.join('');
}

/** The secret's value: the password, or the template with the password under GenerateStringKey. */
export function generateSecretString(options: GenerateSecretString, random: RandomBytes): string {
  const { SecretStringTemplate: template, GenerateStringKey: key } = options;
  if ((template === undefined) !== (key === undefined)) throw new RangeError('SecretStringTemplate and GenerateStringKey go together: give both or neither');
  const password = generatePassword(options, random);
  if (template === undefined || key === undefined) return password;
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch {
    throw new RangeError('SecretStringTemplate must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RangeError('SecretStringTemplate must be a JSON object');
  return JSON.stringify({ ...parsed, [key]: password });
}
