/**
 * Reference paths (`$.a.b[0]`, `$['detail-type']`), the subset of JSONPath that ASL allows in
 * `SecondsPath`, `TimestampPath` and `InputPath`-like fields and EventBridge in `InputPath` and
 * input transformers.
 */

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

function segments(path: string): (string | number)[] {
  if (!path.startsWith('$')) throw new JsonPathError(`path must start with $: ${path}`);
  const parts: (string | number)[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const start = pattern.lastIndex;
    const match = pattern.exec(path);
    if (!match || match.index !== start) throw new JsonPathError(`unsupported path: ${path}`);
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(Number(match[2]));
    else parts.push(match[3] ?? match[4] ?? '');
  }
  return parts;
}

/** The value at a reference path, or undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of segments(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
