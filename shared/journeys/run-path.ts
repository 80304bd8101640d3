/**
 * Author paths into a run (`$.trigger.data`, `$.trigger.data.items[*].productId`, `$.variant`)
 * resolved against the run when a step runs: the subset of JSONPath journeys use (names, indexes
 * and `[*]`, which maps over a list).
 */
import type { Run } from './run.ts';

function read(value: unknown, path: string): unknown {
  const parts = path.slice(2).match(/[^.[\]]+|\[\*\]|\[\d+\]/g) ?? [];
  let current: unknown = value;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? '';
    if (part === '[*]') {
      const rest = `$.${parts
        .slice(index + 1)
        .join('.')
        .replace(/\.\[/g, '[')}`;
      return Array.isArray(current) ? current.map((item) => (index + 1 < parts.length ? read(item, rest) : item)) : undefined;
    }
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    current = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return current;
}

/** A value with every `$.` string in it replaced by what the path reads in the run. */
export function resolveRunPaths(value: unknown, run: Run): unknown {
  if (typeof value === 'string' && value.startsWith('$.')) return read(run, value);
  if (Array.isArray(value)) return value.map((each) => resolveRunPaths(each, run));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolveRunPaths(inner, run)]));
  return value;
}
