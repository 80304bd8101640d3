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

export function answerSupportRequest(
  event: SupportRequested,
  customerId: string,
  profile: Profile | undefined,
  answerer: Answerer,
  now: Date,
): SupportReactions {
  const { requestId, channel, subject, message } = event.detail.data;
  const late = lateByHours(event.detail.occurredAt, now);
  const request = { requestId, ...(subject && { subject }), ...(late !== undefined && { late: true }) };
  const customer = { id: customerId };
  const origin = { workflow: 'support' };
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
  if (result.kind === 'answer' && late === undefined) {
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
          origin,
        },
      ],
      events: [
        {
          detailType: DetailTypes.SupportResolved,
          detail: {
            version: 1,
            eventId: `auto-answer-${requestId}`,
            occurredAt: now.toISOString(),
            customer,
            data: { requestId, resolution: `Answered from the knowledge base: ${result.entryId}`, answeredBy: 'knowledge-base' },
          },
        },
      ],
    };
  }
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
  const unanswered = result.kind === 'answer' ? 'reached us late: for a person, not the knowledge base' : result.reason;
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
        origin,
      },
    ],
    events: [
      {
        detailType: DetailTypes.SupportEscalated,
        detail: {
          version: 1,
          eventId: `escalated-${requestId}`,
          occurredAt: now.toISOString(),
          customer,
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
