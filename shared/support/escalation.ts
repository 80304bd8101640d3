/**
 * How urgently a person must answer a support request, and by when.
 *
 * Points add up from the channel, what the message says (signals.ts, in English and Korean) and
 * the customer's value:
 *
 *   | factor                                                       | points |
 *   |--------------------------------------------------------------|--------|
 *   | channel phone (the customer is waiting on the line)          |   +2   |
 *   | channel chat (the customer is waiting in the window)         |   +1   |
 *   | channel email or web                                         |    0   |
 *   | legal threat or data-protection request                      |   +3   |
 *   | strong anger                                                 |   +2   |
 *   | damage, a wrong item, a billing error, a refund (each)       |   +1   |
 *   | asks for a person                                            |   +1   |
 *   | valuable customer: ≥ 5 orders or revenue ≥ 1,000             |   +1   |
 *   | top customer: ≥ 20 orders or revenue ≥ 5,000 (instead of +1) |   +2   |
 *   | reached us late: a day or more after it was made             |   +1   |
 *   | reached us three days or more late (instead of +1)           |   +2   |
 *
 *   | priority | when                                                   | answer within (SLA) |
 *   |----------|--------------------------------------------------------|---------------------|
 *   | urgent   | a safety risk (fire, smoke, electric shock), or ≥ 4    | 1 hour              |
 *   | high     | 2 or 3 points                                          | 4 hours             |
 *   | normal   | 0 or 1 point                                           | 24 hours            |
 *   | low      | 0 points from a customer with no orders, in writing    | 72 hours            |
 *
 * The due time is the SLA, in calendar hours (the support team rota covers them), from when the
 * request reached the system (`arrivedAt`, never before `receivedAt`). A request that reached it late (a help-desk backlog, a replay, a redrive after an
 * outage) has waited already: it counts that wait as points, so the older it is the sooner it is
 * answered, and its due time runs from when it arrived — a due time already past when the help
 * desk first sees the request would promise the customer nothing. Revenue is in the shop's
 * currency. Reasons name the factors, never the message text.
 */
import { SUPPORT_CHANNELS } from '../events/types/support.ts';
import { detectSignals, type Signal } from './signals.ts';

/** The channels of support.requested events. */
export type Channel = (typeof SUPPORT_CHANNELS)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Hours from receipt to the answer, per priority. */
export const SLA_HOURS: Readonly<Record<Priority, number>> = { urgent: 1, high: 4, normal: 24, low: 72 };

/** A request that arrives this many hours or more after it was made arrived late. */
export const LATE_AFTER_HOURS = 24;
/** Late by this many hours or more: the most the wait adds. */
const VERY_LATE_HOURS = 72;

export const VALUABLE_CUSTOMER = { orders: 5, revenue: 1_000 } as const;
export const TOP_CUSTOMER = { orders: 20, revenue: 5_000 } as const;

export interface EscalationRequest {
  readonly channel: Channel;
  readonly message: string;
  readonly subject?: string;
  /** When the customer made the request: an ISO 8601 date-time, or a Date. */
  readonly receivedAt: string | Date;
  /** When it reached the system, if later. @default receivedAt */
  readonly arrivedAt?: string | Date;
  readonly customer: { readonly orders: number; readonly revenue?: number };
}

export interface EscalationPriority {
  readonly priority: Priority;
  /** receivedAt plus the SLA of the priority, as an ISO 8601 date-time in UTC. */
  readonly slaDueAt: string;
  /** Why, one factor a line, such as `channel phone (+2)`; never the message text. */
  readonly reasons: string[];
  /** Whole hours between the request and its arrival, when it arrived late. */
  readonly lateByHours?: number;
}

const CHANNEL_POINTS: Readonly<Record<Channel, number>> = { phone: 2, chat: 1, email: 0, web: 0 };

const SIGNAL_POINTS: Readonly<Partial<Record<Signal, { points: number; reason: string }>>> = {
  legal: { points: 3, reason: 'legal threat or data-protection request' },
  anger: { points: 2, reason: 'strong anger' },
  damage: { points: 1, reason: 'damaged or faulty item' },
  'wrong-item': { points: 1, reason: 'wrong item delivered' },
  'billing-error': { points: 1, reason: 'billing error' },
  refund: { points: 1, reason: 'refund requested' },
  human: { points: 1, reason: 'asks for a person' },
};

function customerPoints(customer: EscalationRequest['customer']): { points: number; reason?: string } {
  const revenue = customer.revenue ?? 0;
  if (customer.orders >= TOP_CUSTOMER.orders || revenue >= TOP_CUSTOMER.revenue) return { points: 2, reason: 'top customer' };
  if (customer.orders >= VALUABLE_CUSTOMER.orders || revenue >= VALUABLE_CUSTOMER.revenue) return { points: 1, reason: 'valuable customer' };
  return { points: 0 };
}

function timeOf(value: string | Date, name: string): number {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`${name} must be an ISO 8601 date-time`);
  return time;
}

/** Hours a request waited before it reached the system, when that makes it late. */
export function lateByHours(receivedAt: string | Date, arrivedAt: string | Date): number | undefined {
  const hours = Math.floor((timeOf(arrivedAt, 'arrivedAt') - timeOf(receivedAt, 'receivedAt')) / 3_600_000);
  return hours >= LATE_AFTER_HOURS ? hours : undefined;
}

function latePoints(hours: number | undefined): { points: number; reason?: string } {
  if (hours === undefined) return { points: 0 };
  return hours >= VERY_LATE_HOURS
    ? { points: 2, reason: `reached us ${VERY_LATE_HOURS} hours or more late` }
    : { points: 1, reason: `reached us ${LATE_AFTER_HOURS} hours or more late` };
}

/** The priority, SLA due time and reasons of a request a person must answer. */
export function escalationFor(request: EscalationRequest): EscalationPriority {
  const received = timeOf(request.receivedAt, 'receivedAt');
  const late = request.arrivedAt === undefined ? undefined : lateByHours(request.receivedAt, request.arrivedAt);
  if (!SUPPORT_CHANNELS.includes(request.channel)) throw new RangeError(`channel must be one of ${SUPPORT_CHANNELS.join(', ')}`);
  if (!(request.customer.orders >= 0)) throw new RangeError('customer.orders must be a number of orders, 0 or more');

  const reasons: string[] = [];
  let points = 0;
  const add = (amount: number, reason: string) => {
    if (amount === 0) return;
    points += amount;
    reasons.push(`${reason} (+${amount})`);
  };

  add(CHANNEL_POINTS[request.channel], `channel ${request.channel}`);
  const signals = detectSignals(request.subject ? `${request.subject}\n${request.message}` : request.message);
  for (const signal of signals) {
    const scored = SIGNAL_POINTS[signal];
    if (scored) add(scored.points, scored.reason);
  }
  for (const factor of [customerPoints(request.customer), latePoints(late)]) {
    if (factor.reason) add(factor.points, factor.reason);
  }

  let priority: Priority;
  if (signals.includes('safety')) {
    priority = 'urgent';
    reasons.unshift('safety risk: fire, smoke or electric shock');
  } else if (points >= 4) priority = 'urgent';
  else if (points >= 2) priority = 'high';
  else if (points === 0 && request.customer.orders === 0 && (request.channel === 'email' || request.channel === 'web')) {
    priority = 'low';
    reasons.push('no orders yet, nothing pressing, in writing');
  } else priority = 'normal';

  // Never before the request reached us: a due time already past when it is promised helps nobody.
  const from = request.arrivedAt === undefined ? received : Math.max(received, timeOf(request.arrivedAt, 'arrivedAt'));
  return { priority, slaDueAt: new Date(from + SLA_HOURS[priority] * 3_600_000).toISOString(), reasons, ...(late !== undefined && { lateByHours: late }) };
}
