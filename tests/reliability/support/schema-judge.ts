/**
 * The oracle: whether the contract accepts a PutEvents entry, judged from the published JSON
 * Schemas (shared/events/json-schema/, read as files) by an independent validator (ajv), plus the
 * few rules a draft-04 schema cannot state and the schemas therefore state in words: EventBridge's
 * own limits on an entry, and the `description` of `occurredAt` and `timezone`. Nothing here
 * imports the system's code, so a hole in the runtime validation shows up as a disagreement
 * instead of being copied into the expectation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Schema } from './schema-arbitrary.ts';
import { entryBytes, MAX_ENTRY_BYTES, type Entry } from './hostile-mutations.ts';

export { entryBytes, MAX_ENTRY_BYTES, type Entry };

/** A PutEvents entry as a producer writes it (the bus name is added when sending). */
export type Verdict = { readonly accepted: true } | { readonly accepted: false; readonly why: string };

/** `occurredAt`'s description: not before this instant… */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
/** …nor more than five minutes after the bus's clock. */
const SKEW_MS = 5 * 60_000;

export const SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'events', 'json-schema');

export interface PublishedSchema {
  readonly detailType: string;
  readonly schema: Schema & { readonly title: string; readonly properties: { readonly source: Schema; readonly detail: Schema } };
  /** Events a business system may send: the source is not pinned to the system's own. */
  readonly producer: boolean;
}

/** Every published schema, by detail-type. */
export function publishedSchemas(dir = SCHEMA_DIR): Map<string, PublishedSchema> {
  const schemas = new Map<string, PublishedSchema>();
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(dir, name), 'utf8')) as PublishedSchema['schema'];
    schemas.set(schema.title, { detailType: schema.title, schema, producer: schema.properties.source.enum === undefined });
  }
  return schemas;
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const describe = (errors: readonly ErrorObject[] | null | undefined) =>
  (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`).join('; ');

export interface Judge {
  /** @param now - the bus's clock (epoch ms): `occurredAt` is judged against it */
  judge(entry: Entry, now: number): Verdict;
  readonly schemas: ReadonlyMap<string, PublishedSchema>;
}

export function createJudge(dir = SCHEMA_DIR): Judge {
  // Both packages are CommonJS: under ESM their constructor is the `default` export.
  const ajv = new ajvDraft04.default({ strict: false, allErrors: false });
  ajvFormats.default(ajv);
  const schemas = publishedSchemas(dir);
  const validators = new Map<string, ValidateFunction>([...schemas].map(([type, published]) => [type, ajv.compile(published.schema)]));

  function judge(entry: Entry, now: number): Verdict {
    if (entry.Source === '' || entry.DetailType === '') return { accepted: false, why: 'EventBridge: Source and DetailType are required' };
    if (entryBytes(entry) > MAX_ENTRY_BYTES) return { accepted: false, why: 'EventBridge: an entry is at most 256 KB' };
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { accepted: false, why: 'EventBridge: Detail must be JSON' };
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { accepted: false, why: 'EventBridge: Detail must be a JSON object' };
    const validate = validators.get(entry.DetailType);
    if (!validate) return { accepted: false, why: 'no published schema for this detail-type' };
    if (!validate({ 'detail-type': entry.DetailType, source: entry.Source, detail })) return { accepted: false, why: describe(validate.errors) };
    const { occurredAt, customer } = detail as { occurredAt: string; customer: { timezone?: string } };
    const at = Date.parse(occurredAt);
    if (at < EARLIEST) return { accepted: false, why: 'occurredAt before 2000-01-01T00:00:00Z' };
    if (at > now + SKEW_MS) return { accepted: false, why: "occurredAt more than five minutes after the bus's clock" };
    if (customer.timezone !== undefined && !isKnownTimeZone(customer.timezone)) return { accepted: false, why: 'customer.timezone not in the IANA database' };
    return { accepted: true };
  }

  return { judge, schemas };
}
