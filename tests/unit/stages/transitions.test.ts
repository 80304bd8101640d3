import { describe, expect, it } from 'vitest';
import type { DetailType } from '#shared/events/catalog.ts';
import { PROGRESSION, type ProgressionStage } from '#shared/stages/stages.ts';
import { decideStage, TRANSITIONS, type StageState } from '#shared/stages/transitions.ts';
import { catalogEvent } from '#tests/fixtures/events.ts';

const [D, R, B, U, T] = PROGRESSION;

type Column = Exclude<DetailType, 'support.requested' | 'support.resolved'>;
type Row = 'new' | ProgressionStage;

/**
 * The stage after each event, by the stage before it (`new`: a customer not seen before).
 * Written out by hand: every cell is a transition or a refusal the model must make.
 */
const EXPECTED: Record<Row, Partial<Record<Column, ProgressionStage>>> = {
  new: {
    'lead.captured': D,
    'campaign.touched': D,
    'product.viewed': R,
    'content.viewed': R,
    'cart.updated': R,
    'checkout.started': B,
    'order.placed': B,
    'payment.failed': B,
    'order.shipped': B,
    'order.delayed': B,
    'order.delivered': U,
    'product.activated': U,
    'usage.recorded': U,
    'survey.responded': D,
    'subscription.renewed': D,
    'subscription.cancelled': D,
    'profile.updated': D,
    'consent.updated': D,
  },
  discover: {
    'lead.captured': D,
    'campaign.touched': D,
    'product.viewed': R,
    'content.viewed': R,
    'cart.updated': R,
    'checkout.started': B,
    'order.placed': B,
    'payment.failed': B,
    'order.shipped': B,
    'order.delayed': B,
    'order.delivered': U,
    'product.activated': U,
    'usage.recorded': U,
    'survey.responded': D,
    'subscription.renewed': D,
    'subscription.cancelled': D,
    'profile.updated': D,
    'consent.updated': D,
  },
  research: {
    'lead.captured': R,
    'campaign.touched': R,
    'product.viewed': R,
    'content.viewed': R,
    'cart.updated': R,
    'checkout.started': B,
    'order.placed': B,
    'payment.failed': B,
    'order.shipped': B,
    'order.delayed': B,
    'order.delivered': U,
    'product.activated': U,
    'usage.recorded': U,
    'survey.responded': R,
    'subscription.renewed': R,
    'subscription.cancelled': R,
    'profile.updated': R,
    'consent.updated': R,
  },
  buy: {
    'lead.captured': B,
    'campaign.touched': B,
    'product.viewed': B,
    'content.viewed': B,
    'cart.updated': B,
    'checkout.started': B,
    'order.placed': B,
    'payment.failed': B,
    'order.shipped': B,
    'order.delayed': B,
    'order.delivered': U,
    'product.activated': U,
    'usage.recorded': U,
    'survey.responded': B,
    'subscription.renewed': T,
    'subscription.cancelled': T,
    'profile.updated': B,
    'consent.updated': B,
  },
  use: {
    'lead.captured': U,
    'campaign.touched': U,
    'product.viewed': U,
    'content.viewed': U,
    'cart.updated': U,
    'checkout.started': U,
    'order.placed': U,
    'payment.failed': U,
    'order.shipped': U,
    'order.delayed': U,
    'order.delivered': U,
    'product.activated': U,
    'usage.recorded': U,
    'survey.responded': T,
    'subscription.renewed': T,
    'subscription.cancelled': T,
    'profile.updated': U,
    'consent.updated': U,
  },
  retain: {
    'lead.captured': T,
    'campaign.touched': T,
    'product.viewed': T,
    'content.viewed': T,
    'cart.updated': T,
    'checkout.started': T,
    'order.placed': T,
    'payment.failed': T,
    'order.shipped': T,
    'order.delayed': T,
    'order.delivered': T,
    'product.activated': T,
    'usage.recorded': T,
    'survey.responded': T,
    'subscription.renewed': T,
    'subscription.cancelled': T,
    'profile.updated': T,
    'consent.updated': T,
  },
};

const stateIn = (stage: ProgressionStage | undefined, extra: Partial<StageState> = {}): StageState => ({
  ...(stage && { stage }),
  openSupportRequests: [],
  resolvedSupportRequests: [],
  ...extra,
});

const cases = Object.entries(EXPECTED).flatMap(([row, columns]) =>
  Object.entries(columns).map(([detailType, to]) => ({ row: row as Row, detailType: detailType as Column, to: to as ProgressionStage })),
);

describe('stage model', () => {
  it.each(cases)('$row + $detailType → $to', ({ row, detailType, to }) => {
    const from = row === 'new' ? undefined : row;

    const decision = decideStage(stateIn(from), catalogEvent(detailType));

    expect(decision.stage).toBe(to);
    expect(decision.changed).toBe(from === undefined || from !== to);
    expect(decision.from).toBe(from);
    expect(decision.reason).toMatch(/\S/);
  });

  it('says why a customer is not moved back', () => {
    expect(decideStage(stateIn('buy'), catalogEvent('product.viewed')).reason).toBe('product.viewed never moves a customer back from buy');
    expect(decideStage(stateIn('research'), catalogEvent('survey.responded')).reason).toBe('survey.responded moves a customer to retain only from use');
    expect(decideStage(stateIn('buy'), catalogEvent('order.placed')).reason).toBe('already in buy');
    expect(decideStage(stateIn('buy'), catalogEvent('consent.updated')).reason).toBe('consent.updated does not change the stage');
    expect(decideStage(stateIn('research'), catalogEvent('order.placed')).reason).toBe('started buying (order.placed)');
  });

  it('lists each event type in at most one transition', () => {
    const listed = TRANSITIONS.flatMap((transition) => transition.on);
    expect(new Set(listed).size).toBe(listed.length);
  });
});

describe('stage model: support', () => {
  const requested = (requestId = 'r-1') => catalogEvent('support.requested', { data: { ...catalogEvent('support.requested').detail.data, requestId } });
  const resolved = (requestId = 'r-1') => catalogEvent('support.resolved', { data: { requestId } });

  it.each(PROGRESSION)('enters support from %s and remembers it', (stage) => {
    expect(decideStage(stateIn(stage), requested())).toEqual({
      from: stage,
      stage: 'support',
      returnStage: stage,
      changed: true,
      reason: 'asked for help (support.requested)',
    });
  });

  it('puts a new customer who asks for help in support, to return to discover', () => {
    expect(decideStage(stateIn(undefined), requested())).toMatchObject({ stage: 'support', returnStage: 'discover', changed: true });
  });

  it('stays in support when another request opens', () => {
    const state = stateIn(undefined, { stage: 'support', returnStage: 'buy', openSupportRequests: ['r-1'] });
    expect(decideStage(state, requested('r-2'))).toMatchObject({
      stage: 'support',
      returnStage: 'buy',
      changed: false,
      reason: 'opened another support request',
    });
  });

  it('ignores a request that is already open', () => {
    const state = stateIn(undefined, { stage: 'support', returnStage: 'buy', openSupportRequests: ['r-1'] });
    expect(decideStage(state, requested('r-1'))).toMatchObject({ stage: 'support', changed: false, reason: 'support request already open' });
  });

  it('does not reopen a request whose resolution arrived first', () => {
    const state = stateIn('use', { resolvedSupportRequests: ['r-1'] });
    expect(decideStage(state, requested('r-1'))).toMatchObject({
      stage: 'use',
      changed: false,
      reason: 'support request already resolved (support.requested arrived late)',
    });
  });

  it('returns to the stage the customer was in when the last request is resolved', () => {
    const state = stateIn(undefined, { stage: 'support', returnStage: 'use', openSupportRequests: ['r-1'] });
    expect(decideStage(state, resolved('r-1'))).toEqual({ from: 'support', stage: 'use', changed: true, reason: 'last support request resolved; back to use' });
  });

  it('stays in support while other requests are open', () => {
    const state = stateIn(undefined, { stage: 'support', returnStage: 'use', openSupportRequests: ['r-1', 'r-2'] });
    expect(decideStage(state, resolved('r-1'))).toMatchObject({ stage: 'support', changed: false, reason: '1 support request(s) still open' });
  });

  it('ignores the resolution of a request that was not open', () => {
    expect(decideStage(stateIn('buy'), resolved('r-9'))).toMatchObject({ stage: 'buy', changed: false, reason: 'support request was not open' });
  });

  it('moves the stage to return to while the customer is in support', () => {
    const state = stateIn(undefined, { stage: 'support', returnStage: 'research', openSupportRequests: ['r-1'] });

    const decision = decideStage(state, catalogEvent('order.placed'));

    expect(decision).toMatchObject({ stage: 'support', returnStage: 'buy', changed: false });
    expect(decision.reason).toBe('in support; will return to buy: started buying (order.placed)');
    expect(decideStage(state, catalogEvent('product.viewed'))).toMatchObject({ stage: 'support', returnStage: 'research', changed: false });
  });
});
