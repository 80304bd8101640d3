/**
 * What the hostile-input test and the schema oracle share: the shape of a PutEvents entry and its
 * size as EventBridge counts it, and the ways both break an event — an unknown detail-type, control
 * characters, script or header injection, a detail that is not an object. Each generator builds
 * from the caller's own picker (which values of the detail may be broken), its own way of changing
 * one value, and its own record of the case.
 */
import fc from 'fast-check';

/** A PutEvents entry, as a business system sends it. */
export interface Entry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
}

/** EventBridge's limit on one PutEvents request, and so on one entry. */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** An entry's size as EventBridge documents it: the UTF-8 bytes of Source, DetailType and Detail, plus 14 for the time. */
export const entryBytes = (entry: Entry): number =>
  14 + Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Detail = { [key: string]: Json };
export type Path = readonly (string | number)[];

/** A case: the entry, with how it was made (e.g. `wrong type`) and where (e.g. `data.items.0.price`). */
export interface Made extends Entry {
  readonly kind: string;
  readonly what: string;
}

/** The entry of an event whose detail is `detail` (an object, or text as it is), with what differs from the event's own. */
export const made = (
  b: { readonly detailType: string; readonly source: string },
  kind: string,
  what: string,
  detail: Detail | string,
  overrides: Partial<Entry> = {},
): Made => ({
  kind,
  what,
  Source: b.source,
  DetailType: b.detailType,
  Detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
  ...overrides,
});

export const pathText = (path: Path): string => path.join('.');
export const isString = (value: Json): value is string => typeof value === 'string';

const NEAR_MISSES = [
  'Order.Placed',
  'order.placed ',
  ' order.placed',
  'order_placed',
  'order.placed\u0000',
  'order.placed\u200b',
  'orders.placed',
  'order.placed.v2',
  'lead.captured\r\nBcc: victim@example.com',
  '<script>alert(1)</script>',
  'x'.repeat(300),
  '*',
  'aws.ses',
  'Email Bounced',
];
const CONTROLS = [...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)), '\u007f'];
export const SCRIPT_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  'javascript:alert(1)',
  '{{ customer.email }}',
  '{% raw %}{{7*7}}{% endraw %}',
  '${7*7}',
  '<a href="https://evil.example">click</a>',
];
export const HEADER_PAYLOADS = [
  '\r\nBcc: victim@example.com',
  '\nBcc: victim@example.com',
  '\r\nSubject: you won',
  '\r\n\r\n<html>spoofed body</html>',
  '\rCc: victim@example.com',
];

/** How a generator reaches into the caller's event. */
export interface MutationKit<B extends { readonly detail: Detail }, C> {
  /** The values of the detail that may be broken (those `only` accepts). */
  readonly pick: (b: B, only: (value: Json) => boolean) => fc.Arbitrary<{ path: Path; value: Json }>;
  /** A copy of the detail with the value at `path` replaced. */
  readonly changed: (detail: Detail, path: Path, value: Json) => Detail;
  /** The caller's record of a case: how it was made, where, and the entry (or what differs in it). */
  readonly make: (b: B, kind: string, what: string, detail: Detail | string, overrides?: Partial<Entry>) => C;
}

/** The mutations both suites make, for the caller's kind of event and case. */
export function mutations<B extends { readonly detail: Detail }, C>(kit: MutationKit<B, C>) {
  const { pick, changed, make } = kit;
  return {
    /** A detail-type close to one of the catalog's, or any string; `isKnown` leaves the real ones out. */
    unknownDetailType: (b: B, isKnown: (detailType: string) => boolean) =>
      fc
        .oneof(fc.constantFrom(...NEAR_MISSES), fc.string({ minLength: 1, maxLength: 60 }))
        .filter((detailType) => !isKnown(detailType))
        .map((detailType) => make(b, 'unknown detail-type', JSON.stringify(detailType.slice(0, 40)), b.detail, { DetailType: detailType })),

    controlCharacters: (b: B) =>
      pick(b, isString).chain((node) =>
        fc.tuple(fc.constantFrom(...CONTROLS), fc.nat()).map(([control, at]) => {
          const text = node.value as string;
          const position = at % (text.length + 1);
          return make(
            b,
            'control characters',
            `${pathText(node.path)} ∋ U+${control.charCodeAt(0).toString(16).padStart(4, '0')}`,
            changed(b.detail, node.path, `${text.slice(0, position)}${control}${text.slice(position)}`),
          );
        }),
      ),

    scriptInjection: (b: B) =>
      pick(b, isString).chain((node) =>
        fc
          .tuple(fc.constantFrom(...SCRIPT_PAYLOADS), fc.boolean())
          .map(([payload, replace]) =>
            make(b, 'script injection', pathText(node.path), changed(b.detail, node.path, replace ? payload : `${node.value as string}${payload}`)),
          ),
      ),

    headerInjection: (b: B) =>
      pick(b, isString).chain((node) =>
        fc
          .constantFrom(...HEADER_PAYLOADS)
          .map((payload) => make(b, 'header injection', pathText(node.path), changed(b.detail, node.path, `${node.value as string}${payload}`))),
      ),

    /** A detail that is not a JSON object: not JSON at all, or JSON of another kind. */
    notAnObject: (b: B) =>
      fc
        .oneof(
          fc.constantFrom(
            '',
            'not json',
            '[]',
            '[1,2]',
            '"text"',
            'null',
            '42',
            'true',
            '{',
            '{"eventId":',
            '\u0000',
            '<script>alert(1)</script>',
            `[${JSON.stringify(b.detail)}]`,
          ),
          fc.json({ maxDepth: 1 }),
        )
        .filter((text) => {
          try {
            const value: unknown = JSON.parse(text);
            return value === null || typeof value !== 'object' || Array.isArray(value);
          } catch {
            return true;
          }
        })
        .map((text) => make(b, 'detail not an object', JSON.stringify(text.slice(0, 40)), text)),
  };
}
