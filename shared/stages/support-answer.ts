/**
 * The support stage's first response to `support.requested`: when the knowledge base knows the
 * answer with enough confidence, the reply goes out at once and the request is resolved
 * (`support.resolved`, answered by the knowledge base); otherwise it is escalated to the help desk
 * (`support.escalated`, with a priority and an SLA due time) and the customer is told when to
 * expect an answer. Keys and event ids derive from the request, so a redelivered request is
 * answered once.
 *
 * No request is dropped for being old. One that reaches the system a day or more after it was made
 * (a help-desk backlog, a replay from the archive, a redrive after an outage) is escalated with its
 * age, at a priority that rises with it, and acknowledged — never answered from the knowledge base:
 * see `answerSupportRequest`.
 */
import { DetailTypes, type CatalogEvent } from '../events/catalog.ts';
import type { SendRequestInput } from '../outreach/request.ts';
import type { Profile } from '../profile/profile.ts';
import { mainCurrency } from '../scoring/retain-scores.ts';
import type { Answerer } from '../support/answerer.ts';
import { escalationFor, lateByHours } from '../support/escalation.ts';

type SupportRequested = Extract<CatalogEvent, { detailType: typeof DetailTypes.SupportRequested }>;

export interface SupportReactions {
  /** `escalated-late`: escalated because it arrived late, whatever the knowledge base knows. */
  readonly outcome: 'answered' | 'escalated' | 'escalated-late';
  /** Whole hours a late request waited before it reached the system. */
  readonly lateByHours?: number;
  readonly sends: readonly SendRequestInput[];
  readonly events: readonly { readonly detailType: string; readonly detail: Record<string, unknown> }[];
}

/** What a request is about and who asked: the part of the reactions both outcomes share. */
interface Asked {
  readonly event: SupportRequested;
  readonly customerId: string;
  readonly request: { readonly requestId: string; readonly subject?: string; readonly late?: true };
  readonly now: Date;
}

const ORIGIN = { workflow: 'support' };

export function answerSupportRequest(
  event: SupportRequested,
  customerId: string,
  profile: Profile | undefined,
  answerer: Answerer,
  now: Date,
): SupportReactions {
  const { requestId, subject, message } = event.detail.data;
  const late = lateByHours(event.detail.occurredAt, now);
  const asked: Asked = { event, customerId, request: { requestId, ...(subject && { subject }), ...(late !== undefined && { late: true }) }, now };
  const result = answerer.answer({
    ...(subject && { subject }),
    message,
    ...((profile?.locale ?? event.detail.customer.locale) && { locale: profile?.locale ?? event.detail.customer.locale }),
  });
  // A late request is not answered from the knowledge base, however sure the match. An automatic
  // reply days later reads as if nobody looked; the question may have changed or been answered by
  // then (on another channel, by the help desk working through its backlog); and a customer who
  // waited that long is owed a person. So a person gets it, sooner the longer it waited, and the
  // customer hears at once that it arrived and when to expect the answer.
  if (result.kind === 'answer' && late === undefined) return answered(asked, result);
  const unanswered = result.kind === 'answer' ? 'reached us late: for a person, not the knowledge base' : result.reason;
  return escalated(asked, profile, unanswered, late);
}

/** Answered from the knowledge base: the reply, and the request resolved. */
function answered({ customerId, request, now }: Asked, result: { readonly title: string; readonly body: string; readonly entryId: string }): SupportReactions {
  const { requestId } = request;
  return {
    outcome: 'answered',
    sends: [
      {
        version: 1,
        messageKey: `support-reply:${requestId}`,
        customerId,
        template: 'support-reply',
        kind: 'transactional',
        variables: { request, answer: { title: result.title, body: result.body } },
        origin: ORIGIN,
      },
    ],
    events: [
      {
        detailType: DetailTypes.SupportResolved,
        detail: {
          version: 1,
          eventId: `auto-answer-${requestId}`,
          occurredAt: now.toISOString(),
          customer: { id: customerId },
          data: { requestId, resolution: `Answered from the knowledge base: ${result.entryId}`, answeredBy: 'knowledge-base' },
        },
      },
    ],
  };
}

/** For a person: the escalation with its priority and due time, and the customer told when to expect an answer. */
function escalated({ event, customerId, request, now }: Asked, profile: Profile | undefined, unanswered: string, late: number | undefined): SupportReactions {
  const { requestId, channel, subject, message } = event.detail.data;
  // Revenue in the currency the customer orders in most: amounts in different currencies do not add up.
  const currency = profile ? mainCurrency([profile]) : undefined;
  const revenue = currency ? (profile?.revenue[currency] ?? 0) : 0;
  const escalation = escalationFor({
    channel,
    message,
    ...(subject && { subject }),
    receivedAt: event.detail.occurredAt,
    arrivedAt: now,
    customer: { orders: profile?.counters.orders ?? 0, revenue },
  });
  return {
    outcome: late === undefined ? 'escalated' : 'escalated-late',
    ...(late !== undefined && { lateByHours: late }),
    sends: [
      {
        version: 1,
        messageKey: `support-acknowledgement:${requestId}`,
        customerId,
        template: 'support-acknowledgement',
        kind: 'transactional',
        variables: { request, sla: { dueAt: escalation.slaDueAt } },
        origin: ORIGIN,
      },
    ],
    events: [
      {
        detailType: DetailTypes.SupportEscalated,
        detail: {
          version: 1,
          eventId: `escalated-${requestId}`,
          occurredAt: now.toISOString(),
          customer: { id: customerId },
          data: {
            requestId,
            priority: escalation.priority,
            slaDueAt: escalation.slaDueAt,
            reason: escalation.reasons.join('; ').slice(0, 300) || unanswered,
            ...(escalation.lateByHours !== undefined && { lateByHours: escalation.lateByHours }),
          },
        },
      },
    ],
  };
}
