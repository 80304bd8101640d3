/**
 * Zod building blocks for file formats written by people: each turns a mistake into one message
 * that says what is wrong. Zod's own unions report a value that fits no option as "Invalid input"
 * for every option; choosing the schema first and validating with it alone says precisely why.
 */
import * as z from 'zod';

/**
 * A schema that validates its input with the schema `pick` chooses for it, or fails with the
 * message `pick` returns instead. Issues keep their paths relative to the input, so an enclosing
 * object or array prefixes them as usual (`all[1].counter`).
 */
export function chosen<T>(pick: (value: unknown) => z.ZodType<T> | string): z.ZodType<T> {
  return z.unknown().transform((value, ctx): T => {
    const schema = pick(value);
    if (typeof schema === 'string') {
      ctx.addIssue({ code: 'custom', message: schema, input: value });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
}

/** One value or a non-empty list of them (`stage: use` or `stage: [use, retain]`). */
export function oneOrList<T>(item: z.ZodType<T>): z.ZodType<T | readonly T[]> {
  const list = z.array(item).min(1, { error: 'must list at least one value' });
  return chosen<T | readonly T[]>((value) => (Array.isArray(value) ? list : item));
}

/**
 * A strict object for one form of a file format: an unknown key (often a typo, or a key of
 * another form) is refused with the keys the form takes.
 *
 * @param what - what the object is, for the message: `a counter condition`, `a time window`
 */
export function strictForm<Shape extends z.core.$ZodLooseShape>(what: string, shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} in ${what} (it takes ${allowed})`;
    },
  });
}

/**
 * Exactly one of `keys` must be present on the object (one comparison per condition). Checked
 * only when the object is otherwise valid: after an unknown key (likely the misspelt comparison)
 * a second message about the missing one would only repeat it.
 */
export function exactlyOneOf<T extends object>(schema: z.ZodType<T>, keys: readonly string[], what: string): z.ZodType<T> {
  return schema.superRefine(
    (value, ctx) => {
      const present = Object.keys(value).filter((key) => keys.includes(key));
      if (present.length === 1) return;
      ctx.addIssue({
        code: 'custom',
        input: value,
        message:
          present.length === 0
            ? `needs one ${what}: ${orList(keys)}`
            : `has ${present.length} ${what}s (${present.join(', ')}); use exactly one (combine conditions with all for a range)`,
      });
    },
    { when: (payload) => payload.issues.length === 0 },
  );
}

/** `a, b or c`, for messages. */
export function orList(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/**
 * The one key of `keys` an object has — the form it takes (a step's kind, a trigger's) — or a
 * message saying why there is not exactly one. `others` are keys every form has besides.
 */
export function oneKeyOf(value: unknown, keys: readonly string[], what: string, others: readonly string[] = []): string {
  if (value === undefined) return 'is required';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `must be ${what}: an object with one of ${orList(keys)}`;
  const present = keys.filter((key) => Object.hasOwn(value, key));
  if (present.length === 1) return present[0] as string;
  if (present.length > 1) return `is ${what} with ${present.length} kinds (${present.join(', ')}); give each its own`;
  const found = Object.keys(value).filter((key) => !others.includes(key));
  return `must be ${what} with one of ${orList(keys)}${found.length > 0 ? ` (found ${found.join(', ')})` : ''}`;
}
