/**
 * Two runs' profile stores compared item by item, whole: journey memberships and metrics, segment
 * snapshots, recommendations, the message log, identities, addresses — everything but profiles and
 * their timelines, which compare-runs.ts compares with its own named tolerances. An item is equal
 * only if every attribute is, unless a tolerance names the attribute and says why it may differ.
 */
import type { StoreSnapshot } from './store-snapshot.ts';

type Item = Record<string, unknown>;

/** What an item is, from its key, e.g. `journey membership` or `segment snapshot`. */
export function itemKind(pk: string, sk: string): string {
  if (pk.startsWith('CUSTOMER#')) {
    if (sk === 'PROFILE') return 'profile';
    if (sk.startsWith('EVENT#')) return 'timeline entry';
    if (sk.startsWith('MESSAGE#')) return 'message';
    if (sk.startsWith('JOURNEY#')) return 'journey membership';
    return `customer ${sk.split('#')[0]?.toLowerCase()}`;
  }
  if (pk.startsWith('JOURNEY#')) return sk.startsWith('LAUNCH#') ? 'launch progress' : 'journey metrics';
  if (pk.startsWith('SEGMENT#')) return 'segment snapshot';
  if (pk.startsWith('PRODUCT#')) return sk.startsWith('ALSO#') ? 'recommendation pair' : `product ${sk.toLowerCase()}`;
  return `${pk.split('#')[0]?.toLowerCase()} ${sk.toLowerCase()}`;
}

/** An attribute of one kind of item that may legitimately differ between the runs, and why. */
export interface Tolerance {
  readonly kind: string;
  /** An attribute's name, or a prefix of names ending in `*`. */
  readonly attribute: string;
  readonly why: string;
}

const tolerated = (name: string, tolerances: readonly Tolerance[]): boolean =>
  tolerances.some(({ attribute }) => (attribute.endsWith('*') ? name.startsWith(attribute.slice(0, -1)) : name === attribute));

export interface StoreComparison {
  /** Readable differences, one a line; empty when the stores agree. */
  readonly differences: readonly string[];
  /** Items compared, by kind. */
  readonly compared: ReadonlyMap<string, number>;
}

/** JSON with object keys sorted, the tolerated attributes left out. */
function canonical(item: Item, leaveOut: readonly Tolerance[]): string {
  const kept = Object.fromEntries(Object.entries(item).filter(([name]) => !tolerated(name, leaveOut)));
  return JSON.stringify(kept, (_, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => a.localeCompare(b)))
      : nested,
  );
}

const keyOf = (key: string): [string, string] => {
  const at = key.indexOf(' ');
  return [key.slice(0, at), key.slice(at + 1)];
};

/** Compares every item but profiles and timeline entries, whole, less what `tolerances` name. */
export function compareStores(expected: StoreSnapshot, actual: StoreSnapshot, tolerances: readonly Tolerance[]): StoreComparison {
  const differences: string[] = [];
  const compared = new Map<string, number>();
  for (const key of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const kind = itemKind(...keyOf(key));
    if (kind === 'profile' || kind === 'timeline entry') continue;
    const [left, right] = [expected.get(key), actual.get(key)];
    if (left === undefined || right === undefined) {
      differences.push(`${kind} ${key}: only in the ${left === undefined ? 'second' : 'first'} run`);
      continue;
    }
    compared.set(kind, (compared.get(kind) ?? 0) + 1);
    const leaveOut = tolerances.filter((tolerance) => tolerance.kind === kind);
    const [a, b] = [canonical(JSON.parse(left) as Item, leaveOut), canonical(JSON.parse(right) as Item, leaveOut)];
    if (a !== b) differences.push(`${kind} ${key}: ${a} ≠ ${b}`);
  }
  return { differences, compared };
}
