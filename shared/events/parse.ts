/**
 * Validation of incoming events against the catalog. A rejection is a value, not an exception: it
 * carries a reason that names the field and the rule, and never echoes the offending value, so
 * it can be logged and parked without leaking personal data.
 */
import type * as z from 'zod';
import { LIFECYCLE_SOURCE, detailSchema, isDetailType, ownerOf, versionsOf, type CatalogEvent } from './catalog.ts';
import { EARLIEST_OCCURRED_AT, MAX_CLOCK_SKEW_MS } from './envelope.ts';

export type ParseResult = { readonly ok: true; readonly event: CatalogEvent } | { readonly ok: false; readonly reason: string };

export interface RawEvent {
  readonly detailType: unknown;
  readonly source: unknown;
  readonly detail: unknown;
}

const MAX_ISSUES_REPORTED = 5;
/** Printable ASCII without spaces, as the published schemas state it too (json-schema.ts). */
export const SOURCE_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** A short, printable rendering of an untrusted name for an error message. */
function quote(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const rendered = JSON.stringify(String(value));
  return rendered.length > 80 ? `${rendered.slice(0, 77)}..."` : rendered;
}

/** A zod path as written in JavaScript: `conditions.all[0].stage`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Turns zod issues into one line such as `data.items[0].price: must not be negative`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const lines = [
    ...new Set(
      issues.map((issue) => {
        const missing = issue.code !== 'custom' && issue.path.length > 0 && valueAt(input, issue.path) === undefined;
        // A bad record key reports why the key is bad in its nested issues.
        const nested = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
        const message = missing ? 'is required' : (nested ?? issue.message);
        const path = formatPath(issue.path);
        return path ? `${path}: ${message}` : message;
      }),
    ),
  ];
  const more = lines.length > MAX_ISSUES_REPORTED ? `; and ${lines.length - MAX_ISSUES_REPORTED} more` : '';
  return lines.slice(0, MAX_ISSUES_REPORTED).join('; ') + more;
}

/**
 * Validates an event's detail-type, source and detail.
 *
 * @example
 * const result = parseEvent({ detailType: 'order.placed', source: 'com.example.shop', detail });
 * if (!result.ok) throw new InvalidEventError(result.reason);
 */
export function parseEvent(raw: RawEvent): ParseResult {
  const { detailType, source, detail } = raw;
  if (!isDetailType(detailType)) {
    return { ok: false, reason: `unknown detail-type ${quote(detailType)}` };
  }
  if (typeof source !== 'string' || !SOURCE_PATTERN.test(source)) {
    return { ok: false, reason: 'source must be 1-256 printable characters without spaces' };
  }
  const systemEvent = ownerOf(detailType) === 'system';
  if (systemEvent && source !== LIFECYCLE_SOURCE) {
    return { ok: false, reason: `${detailType} is emitted by the system only (source ${LIFECYCLE_SOURCE})` };
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return { ok: false, reason: 'detail must be a JSON object' };
  }
  const version = (detail as { version?: unknown }).version ?? 1;
  const schema = typeof version === 'number' ? detailSchema(detailType, version) : undefined;
  if (!schema) {
    return {
      ok: false,
      reason: `version: ${detailType} has no version ${quote(version)} (supported: ${versionsOf(detailType).join(', ')})`,
    };
  }
  const parsed = schema.safeParse(detail);
  if (!parsed.success) {
    return { ok: false, reason: describeIssues(parsed.error.issues, detail) };
  }
  return { ok: true, event: { detailType, source, detail: parsed.data } as CatalogEvent };
}

/** Rejects an `occurredAt` in the future or implausibly far in the past; undefined when fine. */
export function checkOccurredAt(occurredAt: string, now: Date): string | undefined {
  const at = Date.parse(occurredAt);
  if (at > now.getTime() + MAX_CLOCK_SKEW_MS) return 'occurredAt: is in the future';
  if (at < Date.parse(EARLIEST_OCCURRED_AT)) return `occurredAt: is before ${EARLIEST_OCCURRED_AT}`;
  return undefined;
}
