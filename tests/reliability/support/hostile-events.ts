/**
 * Hostile events, generated: each starts from a valid event of the catalog (a fixture, about a
 * known customer or a stranger) and breaks it one way — a wrong type, a missing field, a field or
 * a whole entry over its limit, an unknown detail-type, control characters, script or header
 * injection, a date from the future or the distant past, a wrong version or source, a detail that
 * is not an object, prototype keys. Only entries the contract refuses are kept (hostile-oracle.ts);
 * hostile text the contract accepts is the subject of safe-payloads.ts instead.
 */
import fc from 'fast-check';
import { DETAIL_TYPES, detailTypesOf, isDetailType, type DetailType } from '#shared/events/catalog.ts';
import { fixture } from '#tests/fixtures/events.ts';
import { isString, made, MAX_ENTRY_BYTES, mutations, pathText, type Made, type Detail, type Entry, type Json } from './hostile-mutations.ts';
import { expectedOutcome } from './hostile-oracle.ts';

export { HEADER_PAYLOADS, SCRIPT_PAYLOADS } from './hostile-mutations.ts';

/** A case: its entry, how it was made and where. */
export type HostileEntry = Made;

/** Customers with a profile before the hostile events arrive; their profiles must not change. */
export const RESIDENTS = [0, 1, 2, 3, 4].map((n) => ({ id: `c-resident-${n}`, email: `resident.${n}@example.com`, name: `Resident Number${n}` }));

interface Base {
  readonly detailType: DetailType;
  readonly source: string;
  readonly detail: Detail;
}

/**
 * An erasure request is left out: a mutation the catalog still accepts (a date far off) is a
 * real request and erases its resident, which is what it is for. The eraser's refusals are
 * tested with it (tests/integration/data-rights.test.ts).
 */
const BUSINESS_TYPES = DETAIL_TYPES.filter((type) => !detailTypesOf('system').includes(type) && !detailTypesOf('privacy').includes(type));
const SYSTEM_TYPES = detailTypesOf('system');

const customerRef: fc.Arbitrary<Detail> = fc.oneof(
  fc.constantFrom(...RESIDENTS).map((resident): Detail => ({ id: resident.id })),
  fc.constantFrom(...RESIDENTS).map((resident): Detail => ({ email: resident.email })),
  fc.constantFrom(...RESIDENTS).map((resident): Detail => ({ ...resident })),
  fc.nat(9_999).map((n): Detail => ({ id: `c-ghost-${n}` })),
  fc.nat(9_999).map((n): Detail => ({ email: `ghost.${n}@example.com`, anonymousId: `v-ghost-${n}` })),
);

const fixtures = new Map<DetailType, ReturnType<typeof fixture>>();
/** The fixture of a type, read once: a thousand events would otherwise read a thousand files. */
export function fixtureOf(detailType: DetailType): ReturnType<typeof fixture> {
  let cached = fixtures.get(detailType);
  if (!cached) {
    cached = fixture(detailType);
    fixtures.set(detailType, cached);
  }
  return cached;
}

/** A valid event of a business type: a fixture about one of the customers above, an hour ago. */
const base = (types: readonly DetailType[]): fc.Arbitrary<Base> =>
  fc.record({ detailType: fc.constantFrom(...types), customer: customerRef, nonce: fc.nat() }).map(({ detailType, customer, nonce }) => {
    const { source, detail } = fixtureOf(detailType);
    return { detailType, source, detail: { ...(detail as Detail), eventId: `hostile-${nonce}`, occurredAt: '2026-11-22T11:00:00Z', customer } };
  });

/** Every leaf of a JSON value, with its path. */
function leaves(value: Json, path: readonly (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, Array.isArray(value) ? Number(key) : key]));
  }
  return [{ path: [...path], value }];
}

/** A copy of `detail` with the value at `path` replaced (or removed, for undefined). */
function changed(detail: Detail, path: readonly (string | number)[], value: Json | undefined): Detail {
  const copy = structuredClone(detail);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string, Json>)[key] as Json;
  const last = path.at(-1) ?? '';
  if (value === undefined) delete (node as Record<string, Json>)[last];
  else (node as Record<string, Json>)[last] = value;
  return copy;
}

const entry: (b: Base, kind: string, what: string, detail: Detail | string, overrides?: Partial<Entry>) => HostileEntry = made;

const pickLeaf = (b: Base, only?: (value: Json) => boolean) => fc.constantFrom(...leaves(b.detail).filter((leaf) => !only || only(leaf.value)));
const { unknownDetailType: unknownOf, controlCharacters, scriptInjection, headerInjection, notAnObject } = mutations({ pick: pickLeaf, changed, make: entry });

const deeplyNested = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: Json = 'bottom';
  for (let level = 0; level < depth; level++) value = [value];
  return value;
});

function wrongValueFor(value: Json): fc.Arbitrary<Json> {
  const others: fc.Arbitrary<Json>[] = [
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
    deeplyNested,
  ];
  if (typeof value !== 'string') others.push(fc.string({ maxLength: 20 }));
  if (typeof value !== 'number') others.push(fc.oneof(fc.integer(), fc.double({ noNaN: true })));
  if (typeof value !== 'boolean') others.push(fc.boolean());
  return fc.oneof(...others);
}

const wrongType = (b: Base) =>
  pickLeaf(b).chain((leaf) => wrongValueFor(leaf.value).map((value) => entry(b, 'wrong type', pathText(leaf.path), changed(b.detail, leaf.path, value))));

const missingField = (b: Base) => {
  const paths: (string | number)[][] = [
    ['eventId'],
    ['occurredAt'],
    ['customer'],
    ['data'],
    ...Object.keys((b.detail.data as Detail | undefined) ?? {}).map((key) => ['data', key]),
  ];
  return fc.oneof(
    fc.constantFrom(...paths).map((path) => entry(b, 'missing field', pathText(path), changed(b.detail, path, undefined))),
    // A name alone does not say who the customer is.
    fc.constant(entry(b, 'missing field', 'customer.id, anonymousId and email', { ...b.detail, customer: { name: 'Nobody Known' } })),
  );
};

const FILLERS = ['a', 'é', '가', '<', '😀', '%'];
const oversizeField = (b: Base) => {
  const arrays = new Map(
    leaves(b.detail)
      .filter((leaf) => leaf.path.some((key) => typeof key === 'number'))
      .map((leaf) =>
        leaf.path.slice(
          0,
          leaf.path.findIndex((key) => typeof key === 'number'),
        ),
      )
      .map((path) => [pathText(path), path]),
  );
  const listOverflows = [...arrays.values()].map((path) => {
    const list = path.reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, b.detail) as Json[];
    return fc.integer({ min: 101, max: 1_100 }).map((count) =>
      entry(
        b,
        'oversize field',
        `${pathText(path)} × ${count}`,
        changed(
          b.detail,
          path,
          Array.from({ length: count }, (_, n) => list[n % list.length] ?? null),
        ),
      ),
    );
  });
  const longString = pickLeaf(b, isString).chain((leaf) =>
    fc
      .tuple(fc.integer({ min: 129, max: 12_000 }), fc.constantFrom(...FILLERS))
      .map(([length, fill]) => entry(b, 'oversize field', `${pathText(leaf.path)} (${length} characters)`, changed(b.detail, leaf.path, fill.repeat(length)))),
  );
  const manyAttributes = fc
    .integer({ min: 51, max: 200 })
    .map((count) =>
      entry(
        b,
        'oversize field',
        `data.attributes × ${count}`,
        changed(b.detail, ['data', 'attributes'], Object.fromEntries(Array.from({ length: count }, (_, n) => [`attribute${n}`, n]))),
      ),
    );
  return fc.oneof(longString, ...listOverflows, ...(b.detailType === 'profile.updated' ? [manyAttributes] : []));
};

/** Over EventBridge's 256 KB: a padding field the catalog would ignore, or a huge support message. */
const oversizeEntry = (b: Base) =>
  fc
    .integer({ min: MAX_ENTRY_BYTES, max: MAX_ENTRY_BYTES + 100_000 })
    .map((length) => entry(b, 'oversize entry', `${length} bytes of padding`, { ...b.detail, padding: 'x'.repeat(length) }));

const unknownDetailType = (b: Base) => unknownOf(b, (detailType) => isDetailType(detailType) || detailType === '');

const YEAR_MS = 365.25 * 24 * 3_600_000;
const timestamps = (now: number) => ({
  future: fc.integer({ min: now + 6 * 60_000, max: now + 7_900 * YEAR_MS }).map((at) => ['future timestamp', new Date(at).toISOString()] as const),
  ancient: fc
    .integer({ min: Date.parse('0001-01-01T00:00:00Z'), max: Date.parse('2000-01-01T00:00:00Z') - 1 })
    .map((at) => ['ancient timestamp', new Date(at).toISOString()] as const),
  malformed: fc
    .oneof(
      fc.constantFrom(
        'yesterday',
        '2026-13-01T00:00:00Z',
        '2026-11-31T10:00:00Z',
        '2026-11-22 10:00:00',
        '2026-11-22T10:00:00',
        '1763805600',
        '',
        'NaN',
        '+275760-09-13T00:00:00.000Z',
        '2026-11-22T25:00:00Z',
      ),
      fc.string({ maxLength: 30 }),
    )
    .map((text) => ['malformed timestamp', text] as const),
});
const badTimestamp = (b: Base, now: number) => {
  const { future, ancient, malformed } = timestamps(now);
  return fc
    .oneof(future, ancient, malformed)
    .map(([kind, occurredAt]) => entry(b, kind, `occurredAt ${JSON.stringify(occurredAt)}`, { ...b.detail, occurredAt }));
};

const wrongVersion = (b: Base) =>
  fc
    .constantFrom<Json>(2, 0, -1, '1', 1.5, null, true, 999, [1])
    .map((version) => entry(b, 'wrong version', `version ${JSON.stringify(version)}`, { ...b.detail, version }));

const badSource = (b: Base) =>
  fc
    .constantFrom('com.example shop', 'shop\u0000', 'shop\r\nBcc: victim@example.com', 'ünïcode.shop', 'x'.repeat(257), '\t', ' leading', '')
    .map((source) => entry(b, 'bad source', JSON.stringify(source.slice(0, 40)), b.detail, { Source: source }));

/** The system's own event types, put on the bus by someone else: nothing on the bus acts on them. */
const forgedSystemEvent = fc
  .record({ detailType: fc.constantFrom(...SYSTEM_TYPES), source: fc.constantFrom('com.example.shop', 'lifecycle', 'aws.ses'), customer: customerRef })
  .map(({ detailType, source, customer }) => {
    const { detail } = fixtureOf(detailType);
    return {
      kind: 'forged system event',
      what: `${detailType} from ${source}`,
      Source: source,
      DetailType: detailType,
      Detail: JSON.stringify({ ...detail, customer }),
    };
  });

/** Keys that mean something to JavaScript objects, in places a careless merge would honour them. */
const prototypeKeys = (b: Base) =>
  fc.constantFrom('__proto__', 'constructor', 'prototype').chain((key) =>
    fc
      .constantFrom<[string, string]>(
        ['customer', `{"${key}":{"id":"${RESIDENTS[0]?.id ?? ''}"}}`],
        ['data', `{"${key}":${JSON.stringify(b.detail.data)}}`],
        ['data.attributes', `{"attributes":{"${key}":{"isAdmin":true}}}`],
      )
      .map(([where, json]) => {
        const [field] = where.split('.');
        const text = JSON.stringify({ ...b.detail, [field ?? 'data']: '@@' }).replace('"@@"', json);
        return entry(b, 'prototype keys', `${where}.${key}`, text);
      }),
  );

/**
 * Hostile entries the contract refuses, in proportions that spread them over every kind.
 *
 * @param now - the system's now (epoch ms), against which timing is judged
 */
export function hostileEntries(now: number): fc.Arbitrary<HostileEntry> {
  const anyType = base(BUSINESS_TYPES);
  const withBase = (mutate: (b: Base) => fc.Arbitrary<HostileEntry>) => anyType.chain(mutate);
  return fc
    .oneof(
      { weight: 5, arbitrary: withBase(wrongType) },
      { weight: 3, arbitrary: withBase(missingField) },
      { weight: 3, arbitrary: withBase(oversizeField) },
      { weight: 1, arbitrary: withBase(oversizeEntry) },
      { weight: 2, arbitrary: withBase(unknownDetailType) },
      { weight: 4, arbitrary: withBase(controlCharacters) },
      { weight: 3, arbitrary: withBase(scriptInjection) },
      { weight: 3, arbitrary: withBase(headerInjection) },
      { weight: 4, arbitrary: withBase((b) => badTimestamp(b, now)) },
      { weight: 1, arbitrary: withBase(wrongVersion) },
      { weight: 1, arbitrary: withBase(badSource) },
      { weight: 1, arbitrary: forgedSystemEvent },
      { weight: 1, arbitrary: withBase(notAnObject) },
      { weight: 1, arbitrary: withBase(prototypeKeys) },
    )
    .filter((hostile) => expectedOutcome(hostile, new Date(now)).via !== 'valid');
}
