/**
 * Records one validated event: finds the customer, merges provisional profiles the event ties to
 * them, applies the event to the profile and appends it to the timeline.
 *
 * Exactly once, without transactions: the profile write is conditional on the version read and
 * carries the event's mark (the dedupe check); the timeline entry is written after it with an
 * idempotent put, and its presence is the durable proof that the event was recorded. A retry after
 * a crash between the two finds the mark, writes the missing entry, and applies nothing twice.
 * The hot path is two writes of one unit each: the profile and the timeline entry. The first
 * event that carries a new email or anonymous id also writes that identifier's identity item, and
 * an event that states consent writes its consent ledger entry (before the timeline entry).
 */
import type { CatalogEvent } from '../events/catalog.ts';
import { checkOccurredAt } from '../events/parse.ts';
import { ConcurrentUpdateError } from '../errors.ts';
import type { StageDecision } from '../stages/transitions.ts';
import { applyEvent } from './apply-event.ts';
import { putLedgerEntry, statementEntryOf, type StatementEntry } from './consent-ledger.ts';
import { eventMark, hasMark, isMarkOf, isProvisionalId } from './identity.ts';
import { mergeCustomer, type StageMove } from './merge-customer.ts';
import { erasedAfter, newProfile, type Profile } from './profile.ts';
import { resolveAndClaim } from './resolve-customer.ts';
import { stageChangedDetail, type StageChangedDetail } from './stage-change.ts';
import { hasTimelineEvent, putProfile, putTimelineEntry, readProfile, readTimelineEntry, toProfileItem, type StoreDeps } from './store.ts';
import { indexEntryWrites, NOTICE_INDEX, STAGE_INDEX, timelineKey } from './table-design.ts';
import type { RecordedStageChange, TimelineEntry } from './timeline.ts';

export interface RecordDeps extends StoreDeps {
  readonly clock: () => Date;
  readonly timelineRetentionDays: number;
  /** Waits before retrying a conflicting write; injected so that tests never sleep. */
  readonly backoff?: (attempt: number) => Promise<void>;
  /** @default 50 */
  readonly maxAttempts?: number;
}

export interface WriteUnits {
  /** As DynamoDB reported them (ReturnConsumedCapacity). */
  readonly table: number;
  /** Writes to the stage index, counted from the index keys that changed. */
  readonly index: number;
}

export type RecordOutcome =
  | {
      readonly status: 'recorded';
      readonly customerId: string;
      readonly stage: StageDecision;
      readonly stageChanged?: StageChangedDetail;
      readonly merged: readonly string[];
      readonly writeUnits: WriteUnits;
      /** New attributes the profile had no room for. */
      readonly attributesNotKept: number;
    }
  | { readonly status: 'duplicate'; readonly customerId: string; readonly stageChanged?: StageChangedDetail }
  /** The customer was erased after this event occurred: a replay or a late redrive, never recorded. */
  | { readonly status: 'erased'; readonly customerId: string }
  | { readonly status: 'rejected'; readonly reason: string };

const DAY_SECONDS = 86_400;

/** Jittered exponential backoff: up to 5 ms × 2^attempt, capped at 200 ms. */
export const defaultBackoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

/** Writes to the stage and notice indexes when the profile's entry in one changes. */
function indexWrites(before: Profile | undefined, after: Profile): number {
  const [itemBefore, itemAfter] = [before && toProfileItem(before), toProfileItem(after)];
  const keyOf = (item: Record<string, unknown> | undefined, index: { readonly partitionKey: string; readonly sortKey: string }) => {
    const sortKey = item?.[index.sortKey];
    return sortKey === undefined ? undefined : `${String(item?.[index.partitionKey])}#${String(sortKey)}`;
  };
  return [STAGE_INDEX, NOTICE_INDEX].reduce((sum, index) => sum + indexEntryWrites(keyOf(itemBefore, index), keyOf(itemAfter, index)), 0);
}

function timelineEntryOf(event: CatalogEvent, customerId: string, recordedAt: string, change?: RecordedStageChange): TimelineEntry {
  return {
    customerId,
    eventId: event.detail.eventId,
    detailType: event.detailType,
    source: event.source,
    occurredAt: new Date(event.detail.occurredAt).toISOString(),
    recordedAt,
    version: event.detail.version ?? 1,
    data: event.detail.data,
    ...(change && { stageChange: change }),
  };
}

/**
 * Writes a timeline entry (an idempotent put) — after the event's consent ledger entry, when it
 * states consent — and carries both over if its profile was merged in the meantime. A provisional profile can be merged into its customer while one of its events is
 * being recorded: if the merge copied the timeline before this entry was written, the entry would
 * stay behind — counted on the customer, missing from their timeline. Looking once more after the
 * write closes that gap: a merge marked after the look copies the entry itself. Only provisional
 * profiles are ever merged, so only their events pay for the read.
 */
async function writeTimelineEntry(
  deps: StoreDeps,
  entry: TimelineEntry,
  expiresAt: number,
  options: { ifAbsent?: boolean } = {},
  ledger?: StatementEntry,
): Promise<number> {
  // The ledger entry first: the timeline entry is the proof that the event's writes are complete.
  const writeBoth = async (customerId: string, timeline: TimelineEntry) =>
    (ledger ? await putLedgerEntry(deps, { ...ledger, customerId }) : 0) + (await putTimelineEntry(deps, timeline, expiresAt, options));
  let units = await writeBoth(entry.customerId, entry);
  let owner = entry.customerId;
  for (let hops = 0; isProvisionalId(owner) && hops < 3; hops++) {
    const mergedInto = (await readProfile(deps, owner))?.mergedInto;
    if (mergedInto === undefined) break;
    // Carried over like the merge's copy: the provisional profile's stage change is not the customer's.
    const { stageChange: _theirs, ...carried } = entry;
    units += await writeBoth(mergedInto, { ...carried, customerId: mergedInto });
    owner = mergedInto;
  }
  return units;
}

/** The stage change a duplicate should announce again, if this event caused one. */
function previousChange(event: CatalogEvent, profile: Profile | undefined, entry: TimelineEntry | undefined): StageChangedDetail | undefined {
  if (!profile) return undefined;
  const change = entry?.stageChange ?? changeMadeBy(event, profile);
  return change && stageChangedDetail(event, profile, change);
}

/**
 * The stage change to record with an event, as the profile write made it: where it went, when it
 * took effect and in which order. A merge the event caused moves the stage too, before the event
 * applies: the change then starts where the customer stood before the merge, so no step is missing.
 */
function changeToRecord(profile: Profile, decision: StageDecision, beforeMerge: StageMove | undefined): RecordedStageChange | undefined {
  const order = { at: profile.stageSince, seq: profile.version };
  if (!beforeMerge)
    return decision.changed ? { ...(decision.from && { from: decision.from }), to: decision.stage, reason: decision.reason, ...order } : undefined;
  const merged = `merged with earlier activity that had reached ${beforeMerge.to}`;
  return {
    ...(beforeMerge.from && { from: beforeMerge.from }),
    to: profile.stage,
    reason: decision.changed ? `${merged}; then ${decision.reason}` : merged,
    ...order,
  };
}

/** The stage move a merge made for this event, as the merge left it on the profile (see MergeDeps.causedBy). */
function mergeMoveBy(profile: Profile | undefined, mark: string): StageMove | undefined {
  const last = profile?.lastStageChange;
  if (!profile || !isMarkOf(last?.by, mark) || !last?.reason.startsWith('merged with')) return undefined;
  return { ...(last.from && { from: last.from }), to: profile.stage };
}

/** The stage change a duplicate's timeline entry should carry, when its profile write made one. */
function changeMadeBy(event: CatalogEvent, profile: Profile | undefined): RecordedStageChange | undefined {
  const last = profile?.lastStageChange;
  if (!profile || !last || !isMarkOf(last.by, eventMark(event.detail.eventId))) return undefined;
  // No write since that changed the stage again (it would have replaced lastStageChange), so the
  // profile's version still falls between the changes before this one and any after it.
  return { ...(last.from && { from: last.from }), to: profile.stage, reason: last.reason, at: profile.stageSince, seq: profile.version };
}

/** One event being recorded: what every step of recording it needs. */
interface Recording {
  readonly deps: RecordDeps;
  readonly event: CatalogEvent;
  readonly nowIso: string;
  /** When its timeline entry expires (epoch seconds). */
  readonly expiresAt: number;
  readonly mark: string;
  readonly maxAttempts: number;
  readonly backoff: (attempt: number) => Promise<void>;
}

/** The customer the event is about, claimed, with the stage move of any merge the claim made. */
async function claimCustomer(recording: Recording): Promise<{ readonly claimed: Awaited<ReturnType<typeof resolveAndClaim>>; readonly mergeMove?: StageMove }> {
  const { deps, event, nowIso, maxAttempts, backoff, mark } = recording;
  // The customer's stage before the first merge that moved it, and where the merges left it.
  let mergeMove: StageMove | undefined;
  const claimed = await resolveAndClaim(deps, event.detail.customer, async (source, target) => {
    const { stageMove } = await mergeCustomer({ ...deps, now: nowIso, maxAttempts, backoff, causedBy: mark }, source, target);
    if (!stageMove) return;
    const from = mergeMove ? mergeMove.from : stageMove.from;
    mergeMove = { ...(from && { from }), to: stageMove.to };
  });
  return { claimed, ...(mergeMove && { mergeMove }) };
}

/**
 * An event recorded before. If a crash came between the profile and the timeline write, or the
 * merge has not copied the entry yet, finish it — only where no entry is: the attempt that applied
 * the event may be writing it at this moment (a task retried while its first try still runs), with
 * the stage change this one cannot know, and must not be overwritten. Nor where the event sits at
 * another time: a producer that ran again stamped it anew (a schedule fired twice), and its key at
 * this time says nothing of the entry recorded.
 */
async function finishDuplicate(
  { deps, event, nowIso, expiresAt }: Recording,
  customerId: string,
  current: Profile | undefined,
  entry: TimelineEntry | undefined,
  recordedBeforeMerge: { readonly entry?: TimelineEntry } | undefined,
): Promise<RecordOutcome> {
  if (!entry && !(await hasTimelineEvent(deps, customerId, event.detail.eventId))) {
    const missing = recordedBeforeMerge?.entry
      ? { ...recordedBeforeMerge.entry, customerId }
      : timelineEntryOf(event, customerId, nowIso, changeMadeBy(event, current));
    await writeTimelineEntry(deps, missing, expiresAt, { ifAbsent: true }, statementEntryOf(event, customerId, nowIso));
  }
  const stageChanged = previousChange(event, current, entry);
  return { status: 'duplicate', customerId, ...(stageChanged && { stageChanged }) };
}

/**
 * @example
 * const outcome = await recordEvent({ ddb, tableName, clock: () => new Date(), timelineRetentionDays: 730 }, event);
 * if (outcome.status === 'recorded' && outcome.stageChanged) await announce(outcome.stageChanged);
 */
export async function recordEvent(deps: RecordDeps, event: CatalogEvent): Promise<RecordOutcome> {
  const now = deps.clock();
  const timing = checkOccurredAt(event.detail.occurredAt, now);
  if (timing) return { status: 'rejected', reason: timing };
  const recording: Recording = {
    deps,
    event,
    nowIso: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + deps.timelineRetentionDays * DAY_SECONDS,
    mark: eventMark(event.detail.eventId),
    maxAttempts: deps.maxAttempts ?? 50,
    backoff: deps.backoff ?? defaultBackoff,
  };
  const { nowIso, expiresAt, mark } = recording;
  const { claimed, mergeMove } = await claimCustomer(recording);
  let customerId = claimed.customerId;
  let table = claimed.writeUnits;
  // Set when the event was recorded on a provisional profile that has since been merged away.
  let recordedBeforeMerge: { readonly entry?: TimelineEntry } | undefined;

  for (let attempt = 1; attempt <= recording.maxAttempts; attempt++) {
    const key = timelineKey(customerId, event.detail.occurredAt, event.detail.eventId);
    const [current, entry] = await Promise.all([readProfile(deps, customerId), readTimelineEntry(deps, key)]);
    if (current?.mergedInto !== undefined) {
      // Merged while we were resolving: the event belongs to the customer it was merged into. If
      // the merged profile holds it already, the merge carries it over (its counters fold into the
      // customer's, its timeline is copied): a redelivery that arrives while the merge is under
      // way, before the copy, must not apply it to the customer a second time.
      if (entry || hasMark(current.recentEvents, mark)) recordedBeforeMerge = { ...(entry && { entry }) };
      customerId = current.mergedInto;
      continue;
    }
    if (entry || (current && hasMark(current.recentEvents, mark)) || recordedBeforeMerge)
      return finishDuplicate(recording, customerId, current, entry, recordedBeforeMerge);

    if (erasedAfter(current, event.detail.occurredAt)) return { status: 'erased', customerId };
    // After an erasure the person starts afresh: nothing of the tombstone but its version carries on.
    const base = current?.erasure ? { ...newProfile(customerId, nowIso), version: current.version } : current;
    const applied = applyEvent(base, customerId, event, nowIso);
    const written = await putProfile(deps, applied.profile);
    if (!written.ok) {
      await recording.backoff(attempt);
      continue;
    }
    // Another delivery of this event may have made the merge: its move is on the profile, under this event's mark.
    const change = changeToRecord(applied.profile, applied.stage, mergeMove ?? mergeMoveBy(current, mark));
    table += written.writeUnits;
    table += await writeTimelineEntry(deps, timelineEntryOf(event, customerId, nowIso, change), expiresAt, {}, statementEntryOf(event, customerId, nowIso));
    const stageChanged = change && stageChangedDetail(event, applied.profile, change);
    return {
      status: 'recorded',
      customerId,
      stage: applied.stage,
      ...(stageChanged && { stageChanged }),
      merged: claimed.merged,
      writeUnits: { table, index: indexWrites(current, applied.profile) },
      attributesNotKept: applied.attributesNotKept,
    };
  }
  throw new ConcurrentUpdateError(`gave up after ${recording.maxAttempts} conflicting writes on one customer`);
}
