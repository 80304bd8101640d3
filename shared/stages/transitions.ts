/**
 * The stage model: which event moves a customer from which stage to which, as data, and one pure
 * function that applies it. Customers only move forward through the progression
 * (discover → research → buy → use → retain); `support` is entered from anywhere and left, when the
 * last open request is resolved, to the stage the customer would be in by then.
 */
import { DetailTypes, type CatalogEvent, type DetailType } from '../events/catalog.ts';
import { ENTRY_STAGE, rank, type ProgressionStage, type Stage } from './stages.ts';

export interface Transition {
  readonly from: readonly ProgressionStage[];
  readonly on: readonly DetailType[];
  readonly to: ProgressionStage;
  /** Completes "the customer …". */
  readonly reason: string;
}

const D = DetailTypes;

/** The progression. An event type appears in at most one transition. */
export const TRANSITIONS: readonly Transition[] = [
  {
    from: ['discover'],
    on: [D.ProductViewed, D.ContentViewed, D.CartUpdated],
    to: 'research',
    reason: 'started researching',
  },
  {
    from: ['discover', 'research'],
    on: [D.CheckoutStarted, D.OrderPlaced, D.PaymentFailed, D.OrderShipped, D.OrderDelayed],
    to: 'buy',
    reason: 'started buying',
  },
  {
    from: ['discover', 'research', 'buy'],
    on: [D.OrderDelivered, D.ProductActivated, D.UsageRecorded],
    to: 'use',
    reason: 'started using what they bought',
  },
  {
    from: ['buy', 'use'],
    on: [D.SubscriptionRenewed, D.SubscriptionCancelled],
    to: 'retain',
    reason: 'reached a renewal decision',
  },
  {
    from: ['use'],
    on: [D.SurveyResponded],
    to: 'retain',
    reason: 'gave feedback as an established customer',
  },
];

/** The part of a profile the stage model reads. */
export interface StageState {
  /** Absent for a customer not seen before. */
  readonly stage?: Stage;
  /** While in support: the stage to return to. */
  readonly returnStage?: ProgressionStage;
  readonly openSupportRequests: readonly string[];
  /** Recently resolved requests, so a request that arrives after its resolution does not reopen. */
  readonly resolvedSupportRequests: readonly string[];
}

export interface StageDecision {
  /** The stage before the event; absent for a new customer. */
  readonly from?: Stage;
  /** The stage after the event. */
  readonly stage: Stage;
  /** While in support: the stage to return to. */
  readonly returnStage?: ProgressionStage;
  readonly changed: boolean;
  /** Why the stage moved, or why it did not. */
  readonly reason: string;
}

interface Progress {
  readonly stage: ProgressionStage;
  readonly moved: boolean;
  readonly reason: string;
}

function transitionFor(detailType: DetailType): Transition | undefined {
  return TRANSITIONS.find((transition) => transition.on.includes(detailType));
}

/** Applies the progression to a stage outside support. */
function progress(current: ProgressionStage, detailType: DetailType): Progress {
  const transition = transitionFor(detailType);
  if (!transition) {
    return { stage: current, moved: false, reason: `${detailType} does not change the stage` };
  }
  if (transition.from.includes(current)) {
    return { stage: transition.to, moved: true, reason: `${transition.reason} (${detailType})` };
  }
  if (current === transition.to) {
    return { stage: current, moved: false, reason: `already in ${current}` };
  }
  if (rank(current) > rank(transition.to)) {
    return { stage: current, moved: false, reason: `${detailType} never moves a customer back from ${current}` };
  }
  return {
    stage: current,
    moved: false,
    reason: `${detailType} moves a customer to ${transition.to} only from ${transition.from.join(' or ')}`,
  };
}

function supportRequestId(event: CatalogEvent): string | undefined {
  return event.detailType === D.SupportRequested || event.detailType === D.SupportResolved ? event.detail.data.requestId : undefined;
}

/**
 * Decides the stage a customer is in after an event.
 *
 * @example
 * decideStage({ stage: 'research', openSupportRequests: [], resolvedSupportRequests: [] }, orderPlaced)
 * // → { from: 'research', stage: 'buy', changed: true, reason: 'started buying (order.placed)' }
 */
export function decideStage(state: StageState, event: CatalogEvent): StageDecision {
  const from = state.stage;
  const isNew = from === undefined;
  const inSupport = from === 'support';
  // Outside support the progression applies to the current stage; inside, to the stage to return to.
  const base: ProgressionStage = isNew ? ENTRY_STAGE : inSupport ? (state.returnStage ?? ENTRY_STAGE) : from;
  const requestId = supportRequestId(event);

  if (event.detailType === D.SupportRequested && requestId !== undefined) {
    if (state.resolvedSupportRequests.includes(requestId)) {
      return unchanged(state, `support request already resolved (${event.detailType} arrived late)`);
    }
    if (state.openSupportRequests.includes(requestId)) {
      return unchanged(state, 'support request already open');
    }
    if (inSupport) {
      return unchanged(state, 'opened another support request');
    }
    return { from, stage: 'support', returnStage: base, changed: true, reason: `asked for help (${event.detailType})` };
  }

  if (event.detailType === D.SupportResolved && requestId !== undefined) {
    if (!state.openSupportRequests.includes(requestId)) {
      return unchanged(state, 'support request was not open');
    }
    const stillOpen = state.openSupportRequests.length - 1;
    if (!inSupport) {
      return unchanged(state, 'support request resolved');
    }
    if (stillOpen > 0) {
      return unchanged(state, `${stillOpen} support request(s) still open`);
    }
    return { from, stage: base, changed: true, reason: `last support request resolved; back to ${base}` };
  }

  const next = progress(base, event.detailType);
  if (inSupport) {
    const reason = next.moved ? `in support; will return to ${next.stage}: ${next.reason}` : `in support: ${next.reason}`;
    return { from, stage: 'support', returnStage: next.stage, changed: false, reason };
  }
  if (isNew) {
    return { stage: next.stage, changed: true, reason: next.moved ? `new customer; ${next.reason}` : `new customer (${event.detailType})` };
  }
  return { from, stage: next.stage, changed: next.moved, reason: next.reason };
}

function unchanged(state: StageState, reason: string): StageDecision {
  const stage = state.stage ?? ENTRY_STAGE;
  return {
    ...(state.stage !== undefined && { from: state.stage }),
    stage,
    ...(stage === 'support' && { returnStage: state.returnStage ?? ENTRY_STAGE }),
    changed: state.stage === undefined,
    reason,
  };
}
