/**
 * What must become of a PutEvents entry, worked out from the contract alone (the catalog and the
 * stack's routing), so a test can hold the running system to it: refused by PutEvents, parked by
 * the stage workflow that owns its detail-type with the catalog's own reason, refused by the
 * journey launcher, or routed nowhere. The reason is computed with the same catalog code the
 * functions run, so "rejected with a clear reason" means the reason a reader of the catalog expects.
 */
import { isDetailType, ownerOf } from '#shared/events/catalog.ts';
import { checkOccurredAt, parseEvent } from '#shared/events/parse.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { entryBytes, MAX_ENTRY_BYTES, type Entry } from './hostile-mutations.ts';

export { entryBytes, MAX_ENTRY_BYTES, type Entry };

/** A PutEvents entry as a producer writes it (the bus name is added when sending). */
export type Expected =
  /** PutEvents refuses it: the entry (MalformedDetail, InvalidArgument) or, over 256 KB, the request. */
  | { readonly via: 'refused' }
  /** The stage workflow for its detail-type parks it, as rejected, with this reason. */
  | { readonly via: 'parked'; readonly workflow: string; readonly reason: string }
  /** The journey launcher refuses it (its failure destination keeps it, with this reason). */
  | { readonly via: 'launcher'; readonly reason: string }
  /** No rule of the stack matches it: nothing reads it, nothing changes. */
  | { readonly via: 'unrouted' }
  /** Not hostile after all: the contract accepts it. */
  | { readonly via: 'valid' };

function detailObject(text: string): Record<string, unknown> | undefined {
  try {
    const detail: unknown = JSON.parse(text);
    return detail !== null && typeof detail === 'object' && !Array.isArray(detail) ? (detail as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The reason the catalog rejects an event with, or undefined when it accepts it. */
export function catalogReason(entry: Entry, detail: unknown, now: Date): string | undefined {
  const parsed = parseEvent({ detailType: entry.DetailType, source: entry.Source, detail });
  if (!parsed.ok) return parsed.reason;
  return checkOccurredAt(parsed.event.detail.occurredAt, now);
}

/** The workflow that records a detail-type: `BuyWorkflow` for `order.placed`; undefined when none does. */
export function workflowOf(detailType: string): string | undefined {
  if (!isDetailType(detailType)) return undefined;
  const owner = ownerOf(detailType);
  const recorded: readonly string[] = [...STAGES, 'profile'];
  return recorded.includes(owner) ? `${owner.charAt(0).toUpperCase()}${owner.slice(1)}Workflow` : undefined;
}

/** @param now - the system's now: an event's timing is judged against it */
export function expectedOutcome(entry: Entry, now: Date): Expected {
  const detail = detailObject(entry.Detail);
  if (entry.Source === '' || entry.DetailType === '' || !detail || entryBytes(entry) > MAX_ENTRY_BYTES) return { via: 'refused' };
  const workflow = workflowOf(entry.DetailType);
  if (workflow) {
    const reason = catalogReason(entry, detail, now);
    return reason === undefined ? { via: 'valid' } : { via: 'parked', workflow, reason };
  }
  if (isDetailType(entry.DetailType) && ownerOf(entry.DetailType) === 'marketing') {
    // The launcher acts on a launch request whatever its date: only the catalog's verdict counts.
    const parsed = parseEvent({ detailType: entry.DetailType, source: entry.Source, detail });
    return parsed.ok ? { via: 'valid' } : { via: 'launcher', reason: parsed.reason };
  }
  return { via: 'unrouted' };
}
