/**
 * The support stage's first response to `support.requested`: when the knowledge base knows the
 * answer with enough confidence, the reply goes out at once and the request is resolved
 * (`support.resolved`, answered by the knowledge base); otherwise it is escalated to the help desk
 * (`support.escalated`, with a priority and an SLA due time) and the customer is told when to
 * expect an answer. Keys and event ids derive from the request, so a redelivered request is
 * answered once.
 *
 * Requests that arrive more than a day after they were made (an import of old tickets) get
 * neither: the help desk has long dealt with them. Their acknowledgement is still asked for, news
 * until a day after the request, so that the sender logs and counts it as skipped (`too-old`).
 */
import { DetailTypes, type CatalogEvent } from '../events/catalog.ts';
import type { SendRequestInput } from '../outreach/request.ts';
import type { Profile } from '../profile/profile.ts';
import { mainCurrency } from '../scoring/retain-scores.ts';
import type { Answerer } from '../support/answerer.ts';
import { escalationFor } from '../support/escalation.ts';

export const SUPPORT_ANSWER_FRESHNESS_HOURS = 24;
const FRESHNESS_MS = SUPPORT_ANSWER_FRESHNESS_HOURS * 3_600_000;

/** Whether a request received at `receivedAt` came too late to be answered or escalated (the reports use this too). */
export function tooOldToAnswer(requestedAt: string, receivedAt: string): boolean {
  return Date.parse(receivedAt) - Date.parse(requestedAt) > FRESHNESS_MS;
}

type SupportRequested = Extract<CatalogEvent, { detailType: typeof DetailTypes.SupportRequested }>;

export interface SupportReactions {
  readonly outcome: 'answered' | 'escalated' | 'stale';
  readonly sends: readonly SendRequestInput[];
  readonly events: readonly { readonly detailType: string; readonly detail: Record<string, unknown> }[];
}

export function answerSupportRequest(event: SupportRequested, customerId: string, profile: Profile | undefined, answerer: Answerer, now: Date): SupportReactions {
  const { requestId, channel, subject, message } = event.detail.data;
  const request = { requestId, ...(subject && { subject }) };
  const customer = { id: customerId };
  const origin = { workflow: 'support' };
  if (tooOldToAnswer(event.detail.occurredAt, now.toISOString())) {
    const newsUntil = new Date(Date.parse(event.detail.occurredAt) + FRESHNESS_MS).toISOString();
    return { outcome: 'stale', sends: [{ version: 1, messageKey: `support-acknowledgement:${requestId}`, customerId, template: 'support-acknowledgement', kind: 'transactional', variables: { request }, newsUntil, origin }], events: [] };
  }
  const result = answerer.answer({ ...(subject && { subject }), message, ...((profile?.locale ?? event.detail.customer.locale) && { locale: profile?.locale ?? event.detail.customer.locale }) });
  if (result.kind === 'answer') {
    return {
      outcome: 'answered',
      sends: [{ version: 1, messageKey: `support-reply:${requestId}`, customerId, template: 'support-reply', kind: 'transactional', variables: { request, answer: { title: result.title, body: result.body } }, origin }],
      events: [
        {
          detailType: DetailTypes.SupportResolved,
          detail: { version: 1, eventId: `auto-answer-${requestId}`, occurredAt: now.toISOString(), customer, data: { requestId, resolution: `Answered from the knowledge base: ${result.entryId}`, answeredBy: 'knowledge-base' } },
        },
      ],
    };
  }
  // Revenue in the currency the customer orders in most: amounts in different currencies do not add up.
  const currency = profile ? mainCurrency([profile]) : undefined;
  const revenue = currency ? (profile?.revenue[currency] ?? 0) : 0;
  const escalation = escalationFor({ channel, message, ...(subject && { subject }), receivedAt: event.detail.occurredAt, customer: { orders: profile?.counters.orders ?? 0, revenue } });
  return {
    outcome: 'escalated',
    sends: [{ version: 1, messageKey: `support-acknowledgement:${requestId}`, customerId, template: 'support-acknowledgement', kind: 'transactional', variables: { request, sla: { dueAt: escalation.slaDueAt } }, origin }],
    events: [
      {
        detailType: DetailTypes.SupportEscalated,
        detail: {
          version: 1,
          eventId: `escalated-${requestId}`,
          occurredAt: now.toISOString(),
          customer,
          data: { requestId, priority: escalation.priority, slaDueAt: escalation.slaDueAt, reason: escalation.reasons.join('; ').slice(0, 300) || result.reason },
        },
      },
    ],
  };
}
