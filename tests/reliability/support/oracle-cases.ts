/**
 * The schema oracle's cases: events generated from the published schemas (schema-arbitrary.ts),
 * sent as they are or broken one of the ways a hostile or careless producer breaks them — every
 * class the hostile-input test sends, and a few more. Nothing here decides whether a case is
 * valid: the judge (schema-judge.ts) does, from the schemas.
 *
 * Each case carries a token (`oc<n>k`) in its event id and its customer's identifiers, so that
 * whatever the system stores because of it can be traced back to it.
 */
import fc from 'fast-check';
import { arbitraryOf } from './schema-arbitrary.ts';
import { isString, made, MAX_ENTRY_BYTES, mutations, pathText, type Made, type Detail, type Entry, type Json } from './hostile-mutations.ts';
import type { PublishedSchema } from './schema-judge.ts';

/** A case: its entry, how it was made and where. */
export type OracleCase = Made;

interface Base {
  readonly detailType: string;
  readonly source: string;
  readonly detail: Detail;
}

/** Stands for the case's number until the case is numbered (tokenOf). */
const PENDING = 'ocPENDINGk';
export const tokenOf = (n: number): string => `oc${n}k`;
/** The case numbers a stored text mentions. */
export const tokensIn = (text: string): number[] => [...text.matchAll(/oc(\d+)k/g)].map((match) => Number(match[1]));

/** Gives a case its number: its event id and identifiers carry it from then on. */
export const numbered = (oracleCase: OracleCase, n: number): OracleCase => ({ ...oracleCase, Detail: oracleCase.Detail.replaceAll(PENDING, tokenOf(n)) });

const SOURCES = ['com.example.shop', 'com.example.billing', 'helpdesk', 'app.telemetry-1'];

/**
 * Zones for `customer.timezone`: its pattern alone almost never names a zone of the IANA database,
 * which the schema's description requires.
 */
const KNOWN_ZONES = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

/** Marks the generated identifiers with the case's token, keeping them as valid (or not) as they were. */
function tagged(detail: Detail, zone: string | undefined): Detail {
  const customer = detail.customer;
  if (customer === null || typeof customer !== 'object' || Array.isArray(customer)) return { ...detail, eventId: PENDING };
  const mark = (value: Json | undefined, how: (text: string) => string) => (typeof value === 'string' ? how(value) : value);
  const ids = {
    id: mark(customer.id, (id) => `${id.slice(0, 100)}-${PENDING}`),
    anonymousId: mark(customer.anonymousId, (id) => `${id.slice(0, 100)}-${PENDING}`),
    email: mark(customer.email, (email) => `${PENDING}.${email}`),
  };
  const kept = Object.fromEntries(Object.entries(ids).filter((entry): entry is [string, Json] => entry[1] !== undefined));
  return {
    ...detail,
    eventId: PENDING,
    customer: { ...customer, ...kept, ...(zone !== undefined && typeof customer.timezone === 'string' && { timezone: zone }) },
  };
}

/**
 * Events a producer may send, as generated from their schemas, about now: `occurredAt` within the
 * last 30 days (a generated date-time is almost never one the bus would take as current).
 */
function bases(schemas: readonly PublishedSchema[], now: number): fc.Arbitrary<Base> {
  return fc.oneof(
    ...schemas.map((published) =>
      fc
        .record({
          detail: arbitraryOf(published.schema.properties.detail),
          source: published.schema.properties.source.enum
            ? fc.constantFrom(...(published.schema.properties.source.enum as string[]))
            : fc.constantFrom(...SOURCES),
          ago: fc.integer({ min: 0, max: 30 * 86_400_000 }),
          zone: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN_ZONES) }, { weight: 1, arbitrary: fc.constant(undefined) }),
        })
        .map(({ detail, source, ago, zone }) => ({
          detailType: published.detailType,
          source,
          detail: { ...tagged(detail as Detail, zone), occurredAt: new Date(now - ago).toISOString() },
        })),
    ),
  );
}

/** Every node of a JSON value below the root, with its path. */
function nodes(value: Json, path: readonly (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    return [{ path: at, value: child }, ...nodes(child, at)];
  });
}

/** A copy of `detail` with the value at `path` replaced (or removed, for undefined). */
function changed(detail: Detail, path: readonly (string | number)[], value: Json | undefined): Detail {
  const copy = structuredClone(detail);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string, Json>)[key] as Json;
  const last = path.at(-1) ?? '';
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete (node as Record<string, Json>)[last];
  } else (node as Record<string, Json>)[last] = value;
  return copy;
}

const entry: (b: Base, kind: string, what: string, detail: Detail | string, overrides?: Partial<Entry>) => OracleCase = made;

const pick = (b: Base, only: (value: Json) => boolean = () => true) => {
  const found = nodes(b.detail).filter((node) => only(node.value));
  return found.length > 0 ? fc.constantFrom(...found) : fc.constant({ path: ['eventId'], value: b.detail.eventId ?? null });
};
const { unknownDetailType, controlCharacters, scriptInjection, headerInjection, notAnObject } = mutations({ pick, changed, make: entry });

const deeplyNested = fc.integer({ min: 50, max: 300 }).map((depth) => {
  let value: Json = 'bottom';
  for (let level = 0; level < depth; level++) value = [value];
  return value;
});

const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  deeplyNested,
);

const asIs = (b: Base) => fc.constant(entry(b, 'as generated', '', b.detail));

const wrongType = (b: Base) =>
  pick(b).chain((node) =>
    anyJson
      .filter((value) => typeof value !== typeof node.value || Array.isArray(value) !== Array.isArray(node.value))
      .map((value) => entry(b, 'wrong type', pathText(node.path), changed(b.detail, node.path, value))),
  );

const missingField = (b: Base) =>
  fc.oneof(
    pick(b).map((node) => entry(b, 'missing field', pathText(node.path), changed(b.detail, node.path, undefined))),
    fc.constant(entry(b, 'missing field', 'customer: a name alone', { ...b.detail, customer: { name: 'Nobody Known' } })),
  );

const FILLERS = ['a', 'é', '가', '<', '😀', '%', '0'];
const oversizeField = (b: Base) =>
  fc.oneof(
    pick(b, isString).chain((node) =>
      fc
        .tuple(fc.integer({ min: 100, max: 12_000 }), fc.constantFrom(...FILLERS))
        .map(([length, fill]) => entry(b, 'oversize field', `${pathText(node.path)} (${length} × ${fill})`, changed(b.detail, node.path, fill.repeat(length)))),
    ),
    pick(b, Array.isArray).chain((node) =>
      fc.integer({ min: 20, max: 1_100 }).map((count) => {
        const list = node.value as Json[];
        return entry(
          b,
          'oversize field',
          `${pathText(node.path)} × ${count}`,
          changed(
            b.detail,
            node.path,
            Array.from({ length: count }, (_, n) => list[n % Math.max(list.length, 1)] ?? 'x'),
          ),
        );
      }),
    ),
    pick(b, (value) => value !== null && typeof value === 'object' && !Array.isArray(value)).chain((node) =>
      fc
        .integer({ min: 20, max: 200 })
        .map((count) =>
          entry(
            b,
            'oversize field',
            `${pathText(node.path)} + ${count} keys`,
            changed(b.detail, node.path, { ...(node.value as Detail), ...Object.fromEntries(Array.from({ length: count }, (_, n) => [`key${n}`, n])) }),
          ),
        ),
    ),
  );

const oversizeEntry = (b: Base) =>
  fc
    .integer({ min: MAX_ENTRY_BYTES - 200, max: MAX_ENTRY_BYTES + 50_000 })
    .map((length) => entry(b, 'oversize entry', `${length} bytes of padding`, { ...b.detail, padding: 'x'.repeat(length) }));

const YEAR_MS = 365.25 * 86_400_000;
const badTimestamp = (now: number) => (b: Base) =>
  fc
    .oneof(
      fc.integer({ min: now - 60_000, max: now + 7_900 * YEAR_MS }).map((at) => ['future timestamp', new Date(at).toISOString()] as const),
      fc
        .integer({ min: Date.parse('0001-01-01T00:00:00Z'), max: Date.parse('2000-01-02T00:00:00Z') })
        .map((at) => ['ancient timestamp', new Date(at).toISOString()] as const),
      fc
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
            '2000-01-01T00:30:00+01:00',
          ),
          fc.string({ maxLength: 30 }),
        )
        .map((text) => ['malformed timestamp', text] as const),
    )
    .map(([kind, occurredAt]) => entry(b, kind, `occurredAt ${JSON.stringify(occurredAt)}`, { ...b.detail, occurredAt }));

const wrongVersion = (b: Base) =>
  fc
    .constantFrom<Json>(2, 0, -1, '1', 1.5, null, true, 999, [1], 1)
    .map((version) => entry(b, 'wrong version', `version ${JSON.stringify(version)}`, { ...b.detail, version }));

const badSource = (b: Base) =>
  fc
    .oneof(
      fc.constantFrom(
        'com.example shop',
        'shop\u0000',
        'shop\r\nBcc: victim@example.com',
        'ünïcode.shop',
        'x'.repeat(257),
        'x'.repeat(256),
        '\t',
        ' leading',
        '',
        'lifecycle',
        'aws.shop',
      ),
      fc.string({ minLength: 1, maxLength: 30 }),
    )
    .map((source) => entry(b, 'bad source', JSON.stringify(source.slice(0, 40)), b.detail, { Source: source }));

/** Keys that mean something to JavaScript objects, where a careless merge would honour them. */
const prototypeKeys = (b: Base) =>
  fc
    .tuple(
      fc.constantFrom('__proto__', 'constructor', 'prototype'),
      pick(b, (value) => value !== null && typeof value === 'object' && !Array.isArray(value)),
    )
    .map(([key, node]) => {
      const marker = '"@@prototype@@"';
      const text = JSON.stringify(changed(b.detail, node.path, '@@prototype@@')).replace(
        marker,
        JSON.stringify(node.value).replace(/^\{/, `{"${key}":{"isAdmin":true},`).replace(',}', '}'),
      );
      return entry(b, 'prototype keys', `${pathText(node.path)}.${key}`, text);
    });

/** Names that mean something to JavaScript objects, as values a careless lookup would use as keys. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const prototypeNames = (b: Base) =>
  fc
    .tuple(pick(b, isString), fc.constantFrom(...PROTOTYPE_NAMES))
    .map(([node, name]) => entry(b, 'prototype names', `${pathText(node.path)} = ${name}`, changed(b.detail, node.path, name)));

/**
 * Cases in proportions that give every class a few hundred on 5,000: a third sent as generated
 * (what the contract accepts must be accepted), the rest broken one way each.
 *
 * @param producers - the schemas of events a business system may send
 * @param system - the schemas of the system's own events, which a business system forges
 * @param now - the bus's clock (epoch ms)
 */
export function oracleCases(producers: readonly PublishedSchema[], system: readonly PublishedSchema[], now: number): fc.Arbitrary<OracleCase> {
  const any = bases(producers, now);
  const forged = bases(system, now).chain((b) =>
    fc.constantFrom(...SOURCES, 'aws.ses').map((source) => entry({ ...b, source }, 'forged system event', `${b.detailType} from ${source}`, b.detail)),
  );
  const known = new Set([...producers, ...system].map((published) => published.detailType));
  const broken = (mutate: (b: Base) => fc.Arbitrary<OracleCase>) => any.chain(mutate);
  return fc.oneof(
    { weight: 30, arbitrary: any.chain(asIs) },
    { weight: 8, arbitrary: broken(wrongType) },
    { weight: 6, arbitrary: broken(missingField) },
    { weight: 5, arbitrary: broken(oversizeField) },
    { weight: 1, arbitrary: broken(oversizeEntry) },
    { weight: 3, arbitrary: broken((b) => unknownDetailType(b, (detailType) => known.has(detailType))) },
    { weight: 6, arbitrary: broken(controlCharacters) },
    { weight: 6, arbitrary: broken(scriptInjection) },
    { weight: 5, arbitrary: broken(headerInjection) },
    { weight: 7, arbitrary: broken(badTimestamp(now)) },
    { weight: 3, arbitrary: broken(wrongVersion) },
    { weight: 3, arbitrary: broken(badSource) },
    { weight: 3, arbitrary: forged },
    { weight: 2, arbitrary: broken(notAnObject) },
    { weight: 3, arbitrary: broken(prototypeKeys) },
    { weight: 3, arbitrary: broken(prototypeNames) },
  );
}
