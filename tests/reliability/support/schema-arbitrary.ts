/**
 * Values generated from a published JSON Schema (the draft-04 subset the catalog uses), written
 * from the schema text alone: nothing here reads the system's code. The values aim to be valid —
 * required properties always, optional ones sometimes, strings from their patterns — but the
 * schema-oracle test never trusts that: an independent validator judges every value it sends.
 */
import fc from 'fast-check';

/** The draft-04 keywords the published schemas use. */
export interface Schema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly anyOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly not?: Schema;
}

/** Both schemas at once, as far as generation needs: properties and requirements combined. */
function merge(a: Schema, b: Schema): Schema {
  const properties: Record<string, Schema> = { ...a.properties };
  for (const [name, schema] of Object.entries(b.properties ?? {})) properties[name] = properties[name] ? merge(properties[name], schema) : schema;
  const { anyOf: _a, ...restA } = a;
  const { anyOf: _b, ...restB } = b;
  return { ...restA, ...restB, properties, required: [...new Set([...(a.required ?? []), ...(b.required ?? [])])] };
}

/** Every pattern a string must match: its own and its `allOf` branches'. */
const patternsOf = (schema: Schema): string[] => [...(schema.pattern ? [schema.pattern] : []), ...(schema.allOf ?? []).flatMap(patternsOf)];

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const [first, ...others] = patternsOf(schema);
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 300;
  const base =
    first !== undefined
      ? fc.stringMatching(new RegExp(first))
      : schema.format === 'uri'
        ? fc.webUrl({ validSchemes: ['https', 'http'] })
        : fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: 'grapheme' });
  return base.filter(
    (text) =>
      text.length >= min &&
      text.length <= max &&
      others.every((pattern) => new RegExp(pattern).test(text)) &&
      !(schema.not?.pattern && new RegExp(schema.not.pattern).test(text)),
  );
}

function numberOf(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1e9;
  const max = schema.maximum ?? 1e9;
  if (integer) return fc.integer({ min: Math.max(min, -1e6), max: Math.min(max, 1e6) });
  return fc.oneof(
    fc.integer({ min: Math.ceil(Math.max(min, -1e6)), max: Math.floor(Math.min(max, 1e6)) }),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  );
}

function objectOf(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, arbitraryOf(property)]));
  const known = fc.record(fields, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
  // A pattern whose properties must satisfy `not: {}` forbids the names it matches.
  const forbidden = Object.entries(schema.patternProperties ?? {})
    .filter(([, value]) => value.not !== undefined && Object.keys(value.not).length === 0)
    .map(([pattern]) => new RegExp(pattern));
  const names = fc
    .oneof(fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/), fc.string({ minLength: 1, maxLength: 20 }))
    .filter((name) => !forbidden.some((pattern) => pattern.test(name)));
  const open = schema.additionalProperties;
  const extra: fc.Arbitrary<Record<string, unknown>> =
    typeof open === 'object'
      ? fc.dictionary(names, arbitraryOf(open), { minKeys: schema.minProperties ?? 0, maxKeys: Math.min(schema.maxProperties ?? 8, 8) })
      : // Open objects: fields may be added to the contract, so a producer may already send one.
        fc.option(fc.constant({ addedLater: 'a field this schema does not name' }), { freq: 10, nil: {} });
  return fc.tuple(extra, known).map(([more, named]) => ({ ...more, ...named }));
}

/**
 * An arbitrary for values of `schema`.
 *
 * @example
 * fc.sample(arbitraryOf(JSON.parse(readFileSync('order.placed.json', 'utf8'))), 1);
 */
export function arbitraryOf(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) {
    // Branches that only add requirements to an object go with the object's own properties.
    const parent: Schema = { ...schema, anyOf: undefined };
    return fc.oneof(...schema.anyOf.map((branch) => arbitraryOf(schema.type || schema.properties ? merge(parent, branch) : branch)));
  }
  switch (schema.type) {
    case 'string':
      return stringOf(schema);
    case 'integer':
      return numberOf(schema, true);
    case 'number':
      return numberOf(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? arbitraryOf(schema.items) : fc.constant(null), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object':
      return objectOf(schema);
    default:
      return schema.allOf ? stringOf(schema) : fc.constant(null);
  }
}
