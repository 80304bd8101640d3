/**
 * Pinpoint's names are free text ("Active users (KR)", "Favorite-Color", an activity id such as
 * "x1y2z3"); this system's are plain identifiers. Each rule here turns one into the other the same
 * way every time, so a second import finds the files and attributes the first one wrote.
 */

/** Lower-case words joined by dashes, starting with a letter: `Active users (KR)` → `active-users-kr`. */
export function kebabName(text: string, max: number, fallback: string): string {
  const words = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = /^[a-z]/.test(words) ? words : `${fallback}-${words}`.replace(/-+$/, '');
  return name.slice(0, max).replace(/-+$/, '');
}

/** A profile attribute name: letters, digits and `_`, starting with a letter (`Favorite-Color` → `Favorite_Color`). */
export function attributeName(text: string): string {
  const name = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return (/^[A-Za-z]/.test(name) ? name : `a_${name}`).slice(0, 64);
}

/** A journey step id (1-40 lower-case letters, digits or -), from an activity id. */
export function stepId(activityId: string): string {
  return kebabName(activityId, 40, 'step');
}

/** Makes `base` unique among `taken` by a numeric suffix, and takes it. */
export function unique(base: string, taken: Set<string>, max: number): string {
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base.slice(0, max - String(n).length - 1)}-${n}`;
  taken.add(candidate);
  return candidate;
}
