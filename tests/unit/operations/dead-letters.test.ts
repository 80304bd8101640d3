import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_QUEUES, UNSHOWN_REASON, classify, decide, queueKindOf, summarize, type DeadLetter } from '#shared/operations/dead-letters.ts';
import { fixture } from '#tests/fixtures/events.ts';

/** The event as the bus delivers it: the envelope EventBridge adds around source, detail-type and detail. */
const delivered = (detailType: Parameters<typeof fixture>[0] = 'order.placed') => ({
  version: '0',
  id: 'a1b2c3',
  account: '000000000000',
  time: '2026-11-22T10:06:00Z',
  region: 'us-east-1',
  resources: [],
  ...fixture(detailType),
});

const letter = (body: unknown, attributes: Record<string, string> = {}): DeadLetter => ({
  messageId: 'm-1',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes,
});

const deliveryAttributes = (code: string) => ({
  RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/lifecycle-dev/BuyRoute',
  TARGET_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:Buy',
  ERROR_CODE: code,
  ERROR_MESSAGE: 'Rate exceeded for mina.kim@example.com',
  EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
  RETRY_ATTEMPTS: '8',
});

/** A Lambda on-failure record, as Lambda sends it after the asynchronous retries. */
const failureRecord = (requestPayload: unknown, errorType = 'Error') => ({
  version: '1.0',
  timestamp: '2026-11-22T10:09:00.000Z',
  requestContext: {
    requestId: 'r-1',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Lifecycle-dev-LearnProducts:$LATEST',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType, errorMessage: 'could not reach mina.kim@example.com', trace: [] },
});

/** What a stage workflow parks: its state, the event plus the error. */
const parked = (error: string, extra: Record<string, unknown> = {}) => ({
  ...delivered(),
  ...extra,
  failure: { Error: error, Cause: '{"errorMessage":"customer.email mina.kim@example.com …"}' },
});

const sendRequest = {
  version: 1,
  messageKey: 'order:o-9001:confirmation',
  customerId: 'c-1001',
  template: 'order-confirmation',
  kind: 'transactional',
  variables: { orderId: 'o-9001' },
};

describe('dead-letter queues', () => {
  it('knows what every queue of the stack holds', () => {
    expect(DEAD_LETTER_QUEUES.map(queueKindOf)).not.toContain(undefined);
    expect(queueKindOf('support-workflow')).toBe('workflow');
    expect(queueKindOf('surprise')).toBeUndefined();
  });
});

describe('classifying an undelivered event (event-delivery)', () => {
  it('sends the event back onto the bus with its source, detail-type and detail, giving the error code as the reason', () => {
    const event = delivered();

    const classification = classify('event-delivery', letter(event, deliveryAttributes('ThrottlingException')));

    expect(classification).toEqual({
      kind: 'failed',
      reason: 'ThrottlingException',
      type: 'order.placed',
      resend: { to: 'bus', source: 'com.example.shop', detailType: 'order.placed', detail: JSON.stringify(event.detail) },
    });
  });

  it("sends an event an AWS service sent, which PutEvents refuses, straight to the rule's target EventBridge names", () => {
    const sesEvent = { ...delivered(), source: 'aws.ses', 'detail-type': 'Email Bounced', detail: { eventType: 'Bounce' } };
    const body = JSON.stringify(sesEvent);
    const attributes = {
      ...deliveryAttributes('ThrottlingException'),
      RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/SesFeedbackRule',
      TARGET_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:Feedback',
    };

    const classification = classify('event-delivery', letter(body, attributes));

    expect(classification).toEqual({
      kind: 'failed',
      reason: 'ThrottlingException',
      type: 'Email Bounced',
      resend: { to: 'rule-target', ruleArn: attributes.RULE_ARN, targetArn: attributes.TARGET_ARN, event: body },
    });
  });

  it("has no way back for an AWS service's event when it does not say where it was going, or went to a kind of target a redrive does not reach", () => {
    const sesEvent = { ...delivered(), source: 'aws.ses', 'detail-type': 'Email Bounced', detail: { eventType: 'Bounce' } };

    const unnamed = classify('event-delivery', letter(sesEvent, { ERROR_CODE: 'ThrottlingException' }));
    const toBus = classify(
      'event-delivery',
      letter(sesEvent, { ...deliveryAttributes('ThrottlingException'), TARGET_ARN: 'arn:aws:events:us-east-1:000000000000:event-bus/elsewhere' }),
    );

    expect(unnamed).toMatchObject({ kind: 'unredrivable', type: 'Email Bounced', note: expect.stringContaining('no RULE_ARN and TARGET_ARN') });
    expect(toBus).toMatchObject({ kind: 'unredrivable', note: expect.stringContaining('its target is in events') });
    expect(unnamed.resend ?? toBus.resend).toBeUndefined();
  });

  it('calls a body that is not an event malformed', () => {
    expect(classify('event-delivery', letter('not json', deliveryAttributes('ThrottlingException')))).toMatchObject({
      kind: 'malformed',
      note: 'not an EventBridge event',
    });
    expect(classify('event-delivery', letter({ ...delivered(), detail: 'a string' }))).toMatchObject({ kind: 'malformed' });
  });
});

describe('classifying a failed asynchronous invocation (function-failures)', () => {
  it('sends the event the rule invoked the function with back onto the bus', () => {
    const event = delivered('product.viewed');

    const classification = classify('function-failures', letter(failureRecord(event, 'ProvisionedThroughputExceededException')));

    expect(classification).toMatchObject({
      kind: 'failed',
      reason: 'ProvisionedThroughputExceededException',
      type: 'product.viewed',
      resend: { to: 'bus', source: event.source, detailType: 'product.viewed', detail: JSON.stringify(event.detail) },
    });
  });

  it('calls an event the function refused as invalid rejected', () => {
    expect(classify('function-failures', letter(failureRecord(delivered(), 'InvalidEventError')))).toMatchObject({
      kind: 'rejected',
      reason: 'InvalidEventError',
      details: [UNSHOWN_REASON],
    });
    const invalidLaunch = {
      ...failureRecord(delivered(), 'InvalidEventError'),
      responsePayload: { errorType: 'InvalidEventError', errorMessage: 'data.launchId: is required' },
    };
    expect(classify('function-failures', letter(invalidLaunch)).details).toEqual(['data.launchId: is required']);
  });

  it('sends the event inside a journey trigger the gate failed on back to the bus', () => {
    const event = delivered('cart.updated');
    const classification = classify('function-failures', letter(failureRecord({ trigger: { journey: 'cart-recovery', event } }, 'Sandbox.Timedout')));

    expect(classification).toMatchObject({ kind: 'failed', reason: 'Sandbox.Timedout', type: 'cart.updated' });
  });

  it("invokes the function again with a rule's custom input, which is not an event", () => {
    const input = { evaluate: { segments: ['at-risk'], at: '2026-11-22T02:00:00Z' } };
    const record = failureRecord(input, 'Sandbox.Timedout');

    const classification = classify('function-failures', letter(record));

    expect(classification).toEqual({
      kind: 'failed',
      reason: 'Sandbox.Timedout',
      type: 'input of Lifecycle-dev-LearnProducts',
      resend: { to: 'function', functionArn: record.requestContext.functionArn, payload: JSON.stringify(input) },
    });
  });

  it('invokes the function again with the event an AWS service sent it', () => {
    const sesEvent = { ...delivered(), source: 'aws.ses', 'detail-type': 'Email Bounced', detail: { eventType: 'Bounce' } };

    const classification = classify('function-failures', letter(failureRecord(sesEvent, 'InjectedFault')));

    expect(classification).toMatchObject({ kind: 'failed', type: 'Email Bounced', resend: { to: 'function', payload: JSON.stringify(sesEvent) } });
  });

  it('has no way back for a custom input when the record does not name its function', () => {
    const record = failureRecord({ evaluate: { segments: ['at-risk'] } });

    const classification = classify('function-failures', letter({ ...record, requestContext: { condition: 'RetriesExhausted' } }));

    expect(classification).toMatchObject({ kind: 'unredrivable', note: expect.stringContaining('does not name its function') });
  });

  it('calls a body that is not an on-failure record malformed', () => {
    expect(classify('function-failures', letter(delivered()))).toMatchObject({ kind: 'malformed', note: 'not a Lambda on-failure record' });
  });
});

describe('classifying a parked event (<stage>-workflow)', () => {
  it('sends a failed event back without the fields the workflow added', () => {
    const event = delivered();

    const classification = classify('buy-workflow', letter(parked('ConcurrentUpdateError', { recorded: { status: 'recorded' } })));

    expect(classification).toEqual({
      kind: 'failed',
      reason: 'ConcurrentUpdateError',
      type: 'order.placed',
      resend: { to: 'bus', source: event.source, detailType: 'order.placed', detail: JSON.stringify(event.detail) },
    });
  });

  it('calls an event the record task refused as invalid rejected', () => {
    expect(classify('support-workflow', letter(parked('InvalidEventError')))).toMatchObject({
      kind: 'rejected',
      reason: 'InvalidEventError',
      type: 'order.placed',
    });
  });

  it("gives a rejection's reasons field by field, and nothing else of its message", () => {
    const cause = (errorMessage: string) => ({
      failure: { Error: 'InvalidEventError', Cause: JSON.stringify({ errorType: 'InvalidEventError', errorMessage, trace: [] }) },
    });

    const fields = classify(
      'buy-workflow',
      letter({ ...delivered(), ...cause('data.items[0].price: must not be negative; data.currency: is required; and 2 more') }),
    );
    const unshown = classify(
      'buy-workflow',
      letter({ ...delivered(), ...cause('customer.email: mina.kim@example.com is taken; detail must be a JSON object') }),
    );

    expect(fields.details).toEqual(['data.items[0].price: must not be negative', 'data.currency: is required']);
    expect(unshown.details).toEqual([UNSHOWN_REASON]);
  });

  it('calls a body without an event malformed', () => {
    expect(classify('buy-workflow', letter({ failure: { Error: 'States.Timeout' } }))).toMatchObject({
      kind: 'malformed',
      note: 'not an event a workflow parked',
    });
    expect(classify('buy-workflow', letter('{"truncated'))).toMatchObject({ kind: 'malformed' });
  });
});

describe('classifying a send request (outreach)', () => {
  it('sends a failed request back onto the outreach queue, as it was', () => {
    const body = JSON.stringify(sendRequest);

    const classification = classify('outreach', letter(body, { error: 'ThrottlingException', reason: 'Maximum sending rate exceeded' }));

    expect(classification).toEqual({
      kind: 'failed',
      reason: 'ThrottlingException',
      type: 'send-request:order-confirmation',
      resend: { to: 'outreach-queue', body },
    });
  });

  it('calls a request moved by the queue after its last receive failed', () => {
    expect(classify('outreach', letter(sendRequest))).toMatchObject({ kind: 'failed', reason: 'MaxReceivesExceeded' });
  });

  it('calls a request the sender refused as invalid rejected, even when it is not JSON', () => {
    expect(classify('outreach', letter('not json', { error: 'InvalidSendRequest', reason: 'the message is not JSON' }))).toMatchObject({
      kind: 'rejected',
      reason: 'InvalidSendRequest',
      type: 'send-request:unknown',
    });
  });

  it('holds a send that may have happened for a person to decide', () => {
    expect(classify('outreach', letter(sendRequest, { error: 'UnconfirmedSendError' }))).toMatchObject({ kind: 'held', reason: 'UnconfirmedSendError' });
  });

  it('calls a body that is not a send request malformed', () => {
    expect(classify('outreach', letter('[]', { error: 'SendDeferredError' }))).toMatchObject({ kind: 'malformed', note: 'not a send request' });
  });
});

describe('names that may be printed', () => {
  it('prints no free text from a message, only names and codes', () => {
    const classification = classify(
      'outreach',
      letter({ ...sendRequest, template: 'Dear Mina Kim, <b>hello</b>' }, { error: 'failed for mina.kim@example.com' }),
    );

    expect(classification).toMatchObject({ reason: 'unknown', type: 'send-request:unknown' });
  });

  it('calls a message in a queue it does not know malformed', () => {
    expect(classify('surprise', letter(delivered()))).toMatchObject({ kind: 'malformed' });
  });
});

describe('deciding what to redrive', () => {
  const failed = classify('buy-workflow', letter(parked('ConcurrentUpdateError')));
  const rejected = classify('buy-workflow', letter(parked('InvalidEventError')));
  const held = classify('outreach', letter(sendRequest, { error: 'UnconfirmedSendError' }));
  const unredrivable = classify('event-delivery', letter({ ...delivered(), source: 'aws.events' }, { ERROR_CODE: 'ThrottlingException' }));
  const malformed = classify('buy-workflow', letter('not json'));

  it('redrives what failed', () => {
    expect(decide(failed)).toEqual({ action: 'redrive', resend: failed.resend });
  });

  it('leaves what was rejected, unless asked to include it', () => {
    expect(decide(rejected)).toEqual({ action: 'leave', why: 'rejected: it would be rejected again; fix it, then --include-rejected' });
    expect(decide(rejected, { includeRejected: true })).toEqual({ action: 'redrive', resend: rejected.resend });
  });

  it.each([
    ['held', held],
    ['unredrivable', unredrivable],
    ['malformed', malformed],
  ])('always leaves what is %s, and says why', (kind, classification) => {
    const decision = decide(classification, { includeRejected: true });

    expect(decision.action).toBe('leave');
    expect(decision.action === 'leave' && decision.why).toMatch(new RegExp(`^${kind}: `));
  });
});

describe('summing up a queue', () => {
  it('counts kinds, reasons (most frequent first) and types, and what a redrive would send back', () => {
    const classifications = [
      classify('buy-workflow', letter(parked('InjectedFault'))),
      classify('buy-workflow', letter(parked('InjectedFault'))),
      classify('buy-workflow', letter(parked('InvalidEventError'))),
      classify('buy-workflow', letter({ ...delivered('payment.failed'), failure: { Error: 'ConcurrentUpdateError' } })),
      classify('buy-workflow', letter('{')),
    ];

    const summary = summarize(classifications);

    expect(summary).toEqual({
      examined: 5,
      redrivable: 3,
      kinds: { failed: 3, rejected: 1, malformed: 1 },
      reasons: [
        { kind: 'failed', reason: 'InjectedFault', count: 2 },
        { kind: 'failed', reason: 'ConcurrentUpdateError', count: 1 },
        { kind: 'rejected', reason: 'InvalidEventError', count: 1, details: [{ detail: UNSHOWN_REASON, count: 1 }] },
        { kind: 'malformed', reason: 'unknown', count: 1 },
      ],
      types: { 'order.placed': 3, 'payment.failed': 1, unknown: 1 },
    });
    expect(JSON.stringify(summary)).not.toMatch(/mina|Kim|o-9001/);
  });

  it('counts the rejections of each field-level reason, most frequent first', () => {
    const rejected = (errorMessage: string) =>
      classify('buy-workflow', letter({ ...delivered(), failure: { Error: 'InvalidEventError', Cause: JSON.stringify({ errorMessage }) } }));

    const summary = summarize([
      rejected('data.items: is required; data.total: is required'),
      rejected('data.items: is required'),
      rejected('data.total: must not be negative'),
      rejected('data.items: is required'),
    ]);

    expect(summary.reasons).toEqual([
      {
        kind: 'rejected',
        reason: 'InvalidEventError',
        count: 4,
        details: [
          { detail: 'data.items: is required', count: 3 },
          { detail: 'data.total: is required', count: 1 },
          { detail: 'data.total: must not be negative', count: 1 },
        ],
      },
    ]);
  });

  it('sums up an empty queue', () => {
    expect(summarize([])).toEqual({ examined: 0, redrivable: 0, kinds: {}, reasons: [], types: {} });
  });
});

describe('classifying an event no rule takes (unrouted-events)', () => {
  it('rejects an unknown detail-type, to go back on the bus once its sender fixes it', () => {
    const event = { ...delivered(), 'detail-type': 'order.teleported' };

    const classification = classify('unrouted-events', letter(event));

    expect(classification).toEqual({
      kind: 'rejected',
      reason: 'UnknownDetailType',
      type: 'order.teleported',
      resend: { to: 'bus', source: 'com.example.shop', detailType: 'order.teleported', detail: JSON.stringify(event.detail) },
    });
    expect(decide(classification)).toEqual({ action: 'leave', why: 'rejected: it would be rejected again; fix it, then --include-rejected' });
  });

  it('names a system event from another source as forged', () => {
    const event = { ...delivered('email.bounced'), source: 'com.example.shop' };

    expect(classify('unrouted-events', letter(event))).toMatchObject({ kind: 'rejected', reason: 'ForgedSystemEvent', type: 'email.bounced' });
  });

  it('leaves what is not an event', () => {
    expect(classify('unrouted-events', letter('not json'))).toMatchObject({ kind: 'malformed' });
  });
});
