/**
 * Dead letters: what the system could not process, kept in dead-letter queues for an operator to
 * look at and send back. This module reads one dead-letter message — whichever queue it sits in —
 * and decides what it is, why it is there, and where it would go to be processed again. It calls
 * nothing: the SDK side (peeking, re-sending, deleting) is in dead-letter-queues.ts.
 *
 * What each queue holds:
 *
 * | queue | body | why it is there |
 * |---|---|---|
 * | `event-delivery` | the EventBridge event a rule could not deliver | message attribute `ERROR_CODE` |
 * | `function-failures` | Lambda's on-failure record: `requestPayload` is what the rule invoked the function with | `responsePayload.errorType` |
 * | `outreach` | the send request | message attribute `error` (none when the queue's redrive policy moved it) |
 * | `<stage>-workflow` | the workflow's state: the event as delivered, plus `failure` | `failure.Error` |
 * | `unrouted-events` | an event no rule takes: a detail-type the catalog does not have, or a system event from another source | the event itself says: `UnknownDetailType` or `ForgedSystemEvent` |
 *
 * Events go back onto the bus (their `eventId` makes every consumer idempotent); send requests go
 * back onto the outreach queue (their message key sends each email at most once). An AWS service's
 * event (an `aws.*` source: SES feedback, a schedule) cannot go onto a bus — PutEvents refuses
 * those sources — so it goes straight to where it was going: the rule's target that EventBridge
 * names in the `RULE_ARN` and `TARGET_ARN` attributes, or the function whose on-failure record
 * holds it. So does what a function got that is not an event at all (a rule's custom input).
 *
 * Only names and codes leave this module for printing — detail-types, templates, error names and
 * AWS error codes — never a body, an error message or a `Cause`, which can hold personal data. The
 * one exception is a rejection's field-level reasons (`data.items: is required`): the validation
 * writes them to name the field and the rule, never the value, and only parts of that form are kept.
 */
import * as z from 'zod';
import { ErrorNames } from '../errors.ts';
import { isDetailType, ownerOf } from '../events/catalog.ts';
import { STAGES } from '../stages/stages.ts';

/** The dead-letter queues the stack's `DeadLetterQueues` output names. */
export const DEAD_LETTER_QUEUES = [
  'event-delivery',
  'function-failures',
  'outreach',
  'unrouted-events',
  ...[...STAGES, 'profile'].map((name) => `${name}-workflow`),
] as const;

/** The shape of what a queue holds; the stage workflows' queues all hold the same. */
export type QueueKind = 'event-delivery' | 'function-failures' | 'outreach' | 'unrouted-events' | 'workflow';

/** A message as received from a dead-letter queue. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** The message's string attributes, by name. */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * - `failed`: something went wrong on the way (a throttle, an outage, a bug since fixed): redriven.
 * - `rejected`: the input broke the contract; it would only be rejected again. Left for a person
 *   to fix, unless they ask for it (`--include-rejected`).
 * - `held`: a person must decide first (a send that may have happened already). Always left.
 * - `unredrivable`: no path back exists (a target of a kind a redrive cannot reach, a record that
 *   does not say where it was going). Always left.
 * - `malformed`: not what this queue holds. Always left.
 */
export type DeadLetterKind = 'failed' | 'rejected' | 'held' | 'unredrivable' | 'malformed';

/** Where a message goes to be processed again. */
export type Resend =
  | { readonly to: 'bus'; readonly source: string; readonly detailType: string; readonly detail: string }
  | { readonly to: 'outreach-queue'; readonly body: string }
  /** The event, as the rule hands it to that target (with the target's input settings). */
  | { readonly to: 'rule-target'; readonly ruleArn: string; readonly targetArn: string; readonly event: string }
  /** An asynchronous invocation with the payload the function failed on. */
  | { readonly to: 'function'; readonly functionArn: string; readonly payload: string };

/** The services a rule's target can be handed an event in, by the ARN's service part. */
export const DIRECT_TARGET_SERVICES = ['lambda', 'states', 'sqs'] as const;

export interface Classification {
  readonly kind: DeadLetterKind;
  /** The error name or code that put it here. Safe to print: a code, never a message. */
  readonly reason: string;
  /** What it is: the event's detail-type, or `send-request:<template>`. Safe to print. */
  readonly type: string;
  /** How to send it back, when there is a way. */
  readonly resend?: Resend;
  /** For the kinds that are always left: why there is no way back. */
  readonly note?: string;
  /** For a rejected event: what was wrong with it, field by field (`data.items: is required`). */
  readonly details?: readonly string[];
}

export type Decision = { readonly action: 'redrive'; readonly resend: Resend } | { readonly action: 'leave'; readonly why: string };

export interface RedriveOptions {
  /** Redrive rejected messages too (after a person fixed what rejected them). @default false */
  readonly includeRejected?: boolean;
}

const UNKNOWN = 'unknown';
/** Names and codes look like this; anything else (free text, a stray value) is not printed. */
const PRINTABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,99}$/;

/** A name or code as it may be printed: itself when it looks like one, `unknown` otherwise. */
export function printableName(value: unknown): string {
  return typeof value === 'string' && PRINTABLE_NAME.test(value) ? value : UNKNOWN;
}

export function queueKindOf(queue: string): QueueKind | undefined {
  if (queue === 'event-delivery' || queue === 'function-failures' || queue === 'outreach' || queue === 'unrouted-events') return queue;
  return queue.endsWith('-workflow') ? 'workflow' : undefined;
}

const EventBridgeEvent = z.object({
  source: z.string().min(1),
  'detail-type': z.string().min(1),
  // PutEvents takes only a JSON object as the detail.
  detail: z.record(z.string(), z.unknown()),
});
type EventBridgeEvent = z.infer<typeof EventBridgeEvent>;

const ParkedEvent = EventBridgeEvent.extend({ failure: z.object({ Error: z.string(), Cause: z.string().optional() }).optional() });

const FailureRecord = z.object({
  requestContext: z.object({ functionArn: z.string().optional(), condition: z.string().optional() }),
  requestPayload: z.unknown(),
  responsePayload: z.object({ errorType: z.unknown(), errorMessage: z.unknown() }).nullish(),
});

const SendRequestShape = z.object({ template: z.unknown() });

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** `data.items[0].price: must not be negative`: a field's path, then the rule it broke (no `@`: never an address). */
const FIELD_REASON = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*: [^@;\n]{1,160}$/;
/** A rejection's reason said otherwise than by field (or cut short): counted, not shown. */
export const UNSHOWN_REASON = 'another reason (not about one field)';

/** The field-level reasons of a rejection, from its error message (`a: …; b: …; and 2 more`). */
function rejectionDetails(errorMessage: unknown): string[] {
  if (typeof errorMessage !== 'string') return [UNSHOWN_REASON];
  const parts = errorMessage.split('; ').filter((part) => !/^and \d+ more$/.test(part));
  return [...new Set(parts.map((part) => (FIELD_REASON.test(part) ? part : UNSHOWN_REASON)))];
}

/** The error message inside a Step Functions `Cause`: Lambda's error payload as JSON, or the text itself. */
function causeMessage(cause: string | undefined): unknown {
  if (cause === undefined) return undefined;
  const parsed = parseJson(cause);
  return parsed.ok ? (parsed.value as { errorMessage?: unknown } | null)?.errorMessage : cause;
}

const malformed = (note: string): Classification => ({ kind: 'malformed', reason: UNKNOWN, type: UNKNOWN, note });

/**
 * An event found in a dead-letter queue, the error that stopped it, and the error's message when
 * there is one. `direct` is the way straight to where it was going, for an event the bus would refuse.
 */
function eventClassification(event: EventBridgeEvent, reason: string, direct?: Resend | string, errorMessage?: unknown): Classification {
  const type = printableName(event['detail-type']);
  const kind = (resend: Resend): Classification =>
    reason === ErrorNames.InvalidEvent
      ? { kind: 'rejected', reason, type, resend, details: rejectionDetails(errorMessage) }
      : { kind: 'failed', reason, type, resend };
  // AWS reserves `aws.*` sources: PutEvents refuses them, so an SES or schedule event goes straight to its target.
  if (event.source.startsWith('aws.')) {
    if (typeof direct === 'object') return kind(direct);
    return {
      kind: 'unredrivable',
      reason,
      type,
      note: `an AWS service event, which PutEvents cannot put back on a bus, and ${direct ?? 'where it was going is not known'}`,
    };
  }
  const resend: Resend = { to: 'bus', source: event.source, detailType: event['detail-type'], detail: JSON.stringify(event.detail) };
  return kind(resend);
}

const serviceOf = (arn: string): string => arn.split(':')[2] ?? '';

/** Straight to the rule's target EventBridge names, when it is of a kind a redrive can reach. */
function ruleTarget(attributes: DeadLetter['attributes'], body: string): Resend | string {
  const { RULE_ARN: ruleArn, TARGET_ARN: targetArn } = attributes;
  if (!ruleArn?.startsWith('arn:') || !targetArn?.startsWith('arn:')) return 'the message has no RULE_ARN and TARGET_ARN attributes';
  const service = serviceOf(targetArn);
  if (!(DIRECT_TARGET_SERVICES as readonly string[]).includes(service)) return `its target is in ${printableName(service)}, which a redrive does not reach`;
  return { to: 'rule-target', ruleArn, targetArn, event: body };
}

function classifyDelivery(message: DeadLetter): Classification {
  const body = parseJson(message.body);
  const event = body.ok ? EventBridgeEvent.safeParse(body.value) : undefined;
  if (!event?.success) return malformed('not an EventBridge event');
  return eventClassification(event.data, printableName(message.attributes.ERROR_CODE), ruleTarget(message.attributes, message.body));
}

function classifyFunctionFailure(message: DeadLetter): Classification {
  const body = parseJson(message.body);
  const record = body.ok ? FailureRecord.safeParse(body.value) : undefined;
  if (!record?.success) return malformed('not a Lambda on-failure record');
  const { requestContext, requestPayload, responsePayload } = record.data;
  const reason = printableName(responsePayload?.errorType ?? requestContext.condition);
  // A journey trigger reaches the launcher's gate wrapped (`{ trigger: { journey, event } }`): the
  // event inside goes back to the bus, and through the rule to the gate again.
  const wrapped = (requestPayload as { trigger?: { event?: unknown } } | null)?.trigger?.event;
  const event = EventBridgeEvent.safeParse(wrapped ?? requestPayload);
  const { functionArn } = requestContext;
  // The function again, asynchronously, with what it failed on: as its caller invoked it.
  const direct: Resend | string = functionArn?.startsWith('arn:')
    ? { to: 'function', functionArn, payload: JSON.stringify(requestPayload) }
    : 'the record does not name its function';
  if (event.success) return eventClassification(event.data, reason, direct, responsePayload?.errorMessage);
  // A scheduled rule's input transformer, or a direct asynchronous invocation: not an event.
  const type = `input of ${printableName(functionArn?.split(':')[6])}`;
  if (typeof direct === 'object') return { kind: 'failed', reason, type, resend: direct };
  return { kind: 'unredrivable', reason, type, note: `not an event (a rule's custom input), and ${direct}` };
}

function classifyParked(message: DeadLetter): Classification {
  const body = parseJson(message.body);
  const parked = body.ok ? ParkedEvent.safeParse(body.value) : undefined;
  if (!parked?.success) return malformed('not an event a workflow parked');
  // The workflow's own fields (`failure`, and `recorded` when it failed after recording) stay
  // behind: only the event goes back.
  return eventClassification(parked.data, printableName(parked.data.failure?.Error), undefined, causeMessage(parked.data.failure?.Cause));
}

/**
 * An event no rule of the system takes, kept by the bus's catch-all rules: it breaks the contract,
 * so it is rejected — fixed by whoever sent it (a renamed type, a system event sent by mistake),
 * it goes back on the bus.
 */
function classifyUnrouted(message: DeadLetter): Classification {
  const body = parseJson(message.body);
  const event = body.ok ? EventBridgeEvent.safeParse(body.value) : undefined;
  if (!event?.success) return malformed('not an EventBridge event');
  const detailType = event.data['detail-type'];
  const reason = isDetailType(detailType) && ownerOf(detailType) === 'system' ? 'ForgedSystemEvent' : 'UnknownDetailType';
  const resend: Resend = { to: 'bus', source: event.data.source, detailType, detail: JSON.stringify(event.data.detail) };
  return { kind: 'rejected', reason, type: printableName(detailType), resend };
}

function classifySendRequest(message: DeadLetter): Classification {
  // The queue's redrive policy moves a request without attributes; the sender adds `error`.
  const reason = message.attributes.error === undefined ? 'MaxReceivesExceeded' : printableName(message.attributes.error);
  const body = parseJson(message.body);
  const request = body.ok ? SendRequestShape.safeParse(body.value) : undefined;
  const type = `send-request:${printableName(request?.success ? request.data.template : undefined)}`;
  const resend: Resend = { to: 'outreach-queue', body: message.body };
  if (reason === 'InvalidSendRequest') return { kind: 'rejected', reason, type, resend };
  if (!request?.success) return malformed('not a send request');
  if (reason === 'UnconfirmedSendError') {
    return {
      kind: 'held',
      reason,
      type,
      resend,
      note: 'an earlier attempt may have sent it (SES did not confirm): a person decides, and the claim keeps it from being sent again',
    };
  }
  return { kind: 'failed', reason, type, resend };
}

/**
 * What a dead-letter message is and how it could go back.
 *
 * @example
 * classify('buy-workflow', { messageId, body, attributes: {} });
 * // { kind: 'failed', reason: 'ConcurrentUpdateError', type: 'order.placed', resend: { to: 'bus', … } }
 */
export function classify(queue: string, message: DeadLetter): Classification {
  switch (queueKindOf(queue)) {
    case 'event-delivery':
      return classifyDelivery(message);
    case 'function-failures':
      return classifyFunctionFailure(message);
    case 'outreach':
      return classifySendRequest(message);
    case 'workflow':
      return classifyParked(message);
    case 'unrouted-events':
      return classifyUnrouted(message);
    case undefined:
      return malformed(`a queue this version does not know (${printableName(queue)})`);
  }
}

/** Whether to send a classified message back, or leave it in its queue (and why). */
export function decide(classification: Classification, options: RedriveOptions = {}): Decision {
  const { kind, resend, note } = classification;
  if (resend && (kind === 'failed' || (kind === 'rejected' && options.includeRejected))) return { action: 'redrive', resend };
  if (kind === 'rejected') return { action: 'leave', why: 'rejected: it would be rejected again; fix it, then --include-rejected' };
  return { action: 'leave', why: `${kind}: ${note ?? 'no way back'}` };
}

/** How many messages had one reason, and of which kind. */
export interface ReasonCount {
  readonly kind: DeadLetterKind;
  readonly reason: string;
  readonly count: number;
  /** For rejections: how many of them had each field-level reason (a message can have several), most frequent first. */
  readonly details?: readonly { readonly detail: string; readonly count: number }[];
}

/** What a queue holds, in names and counts only. */
export interface DeadLetterSummary {
  readonly examined: number;
  /** How many a redrive would send back by default. */
  readonly redrivable: number;
  readonly kinds: Partial<Record<DeadLetterKind, number>>;
  /** Most frequent first. */
  readonly reasons: readonly ReasonCount[];
  /** Detail-types and send-request templates, counted. */
  readonly types: Readonly<Record<string, number>>;
}

/** Adds up the reasons and types of the messages examined in one queue. */
export function summarize(classifications: readonly Classification[]): DeadLetterSummary {
  const kinds: Partial<Record<DeadLetterKind, number>> = {};
  const reasons = new Map<string, { kind: DeadLetterKind; reason: string; count: number; details: Map<string, number> }>();
  const types: Record<string, number> = {};
  for (const classification of classifications) {
    const { kind, reason, type } = classification;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const key = `${kind}\u0000${reason}`;
    const entry = reasons.get(key) ?? { kind, reason, count: 0, details: new Map<string, number>() };
    entry.count += 1;
    for (const detail of classification.details ?? []) entry.details.set(detail, (entry.details.get(detail) ?? 0) + 1);
    reasons.set(key, entry);
    types[type] = (types[type] ?? 0) + 1;
  }
  return {
    examined: classifications.length,
    redrivable: classifications.filter((classification) => decide(classification).action === 'redrive').length,
    kinds,
    reasons: mostFrequentFirst(
      [...reasons.values()].map(({ details, ...count }) => ({ ...count, ...(details.size > 0 && { details: detailCounts(details) }) })),
      (entry) => entry.reason,
    ),
    types,
  };
}

const detailCounts = (details: ReadonlyMap<string, number>) =>
  mostFrequentFirst(
    [...details].map(([detail, count]) => ({ detail, count })),
    (entry) => entry.detail,
  );

function mostFrequentFirst<T extends { count: number }>(entries: T[], name: (entry: T) => string): T[] {
  return entries.sort((a, b) => b.count - a.count || name(a).localeCompare(name(b)));
}
