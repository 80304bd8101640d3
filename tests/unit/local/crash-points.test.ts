import { describe, expect, it } from 'vitest';
import { CrashPlan, effectOf, INVOCATION_HEADER, type EffectRequest } from '#local/crash-points.ts';

/** A JSON-protocol call (`DynamoDB_20120810.PutItem`) from an invocation, as the endpoint sees it. */
const json = (target: string, invocation?: string): EffectRequest => ({
  method: 'POST',
  url: '/',
  headers: { 'x-amz-target': target, ...(invocation && { [INVOCATION_HEADER]: invocation }) },
});
const rest = (method: string, url: string, invocation?: string): EffectRequest => ({
  method,
  url,
  headers: invocation ? { [INVOCATION_HEADER]: invocation } : {},
});
const put = (invocation: string) => json('DynamoDB_20120810.PutItem', invocation);

describe('crash points', () => {
  it('tells effects from reads', () => {
    expect(effectOf(json('DynamoDB_20120810.UpdateItem'))).toBe('DynamoDB UpdateItem');
    expect(effectOf(json('AmazonSQS.SendMessage'))).toBe('AmazonSQS SendMessage');
    expect(effectOf(json('AWSEvents.PutEvents'))).toBe('AWSEvents PutEvents');
    expect(effectOf(rest('POST', '/v2/email/outbound-emails'))).toBe('POST /v2/email/outbound-emails');
    expect(effectOf(rest('DELETE', '/schedules/s-1?groupName=default'))).toBe('DELETE /schedules/s-1');
    for (const read of [json('DynamoDB_20120810.GetItem'), json('DynamoDB_20120810.Query'), json('AmazonSQS.ReceiveMessage'), rest('GET', '/schedules/s-1')])
      expect(effectOf(read)).toBeUndefined();
  });

  it('ends the first invocation of the function to reach the effect, and refuses what it asks for afterwards', () => {
    const plan = new CrashPlan();
    plan.set([{ function: 'Sender', afterEffect: 2 }]);

    expect(plan.applied(put('Stack-OtherFn/r-0'))).toBeUndefined();
    expect(plan.applied(put('Stack-OtherFn/r-0'))).toBeUndefined();
    expect(plan.applied(put('Stack-SenderFn/r-1'))).toBeUndefined();
    expect(plan.applied(put('Stack-SenderFn/r-1'))).toBe('crash');
    expect(plan.isDead(put('Stack-SenderFn/r-1'))).toBe(true);
    expect(plan.isDead(put('Stack-SenderFn/r-2'))).toBe(false);
    // Spent: a second invocation reaching the same effect goes on.
    expect(plan.applied(put('Stack-SenderFn/r-2'))).toBeUndefined();
    expect(plan.applied(put('Stack-SenderFn/r-2'))).toBeUndefined();
    expect(plan.pending).toEqual([]);
    expect(plan.injected).toEqual([{ function: 'Stack-SenderFn', invocation: 'r-1', afterEffect: 2, mode: 'crash', effect: 'DynamoDB PutItem' }]);
  });

  it('counts neither reads nor calls from outside a function', () => {
    const plan = new CrashPlan();
    plan.set([{ function: 'Fn', afterEffect: 1 }]);

    expect(plan.applied(json('DynamoDB_20120810.GetItem', 'Fn/r-1'))).toBeUndefined();
    expect(plan.applied(json('DynamoDB_20120810.PutItem'))).toBeUndefined();
    expect(plan.effectCounts()).toEqual(new Map());
    expect(plan.applied(put('Fn/r-1'))).toBe('crash');
  });

  it("leaves a crashed invocation's retry alone, by the event it carries or its queue messages", () => {
    const plan = new CrashPlan();
    plan.set([
      { function: 'Fn', afterEffect: 1 },
      { function: 'Fn', afterEffect: 2, mode: 'stall' },
    ]);
    plan.begin('Fn', 'r-1', { Records: [{ messageId: 'm-1' }, { messageId: 'm-2' }] });
    expect(plan.applied(put('Fn/r-1'))).toBe('crash');

    // The redelivered message, in another batch: not fresh work, so it is left to finish.
    plan.begin('Fn', 'r-2', { Records: [{ messageId: 'm-3' }, { messageId: 'm-2' }] });
    expect(plan.applied(put('Fn/r-2'))).toBeUndefined();
    expect(plan.applied(put('Fn/r-2'))).toBeUndefined();

    plan.begin('Fn', 'r-3', { detail: { eventId: 'e-1' } });
    expect(plan.applied(put('Fn/r-3'))).toBeUndefined();
    expect(plan.applied(put('Fn/r-3'))).toBe('stall');
    plan.begin('Fn', 'r-4', { detail: { eventId: 'e-1' } });
    expect(plan.applied(put('Fn/r-4'))).toBeUndefined();
    expect(plan.effectCounts()).toEqual(new Map([['Fn', [1, 2, 2, 1]]]));
  });

  it('counts nothing until a plan is set', () => {
    const plan = new CrashPlan();
    plan.applied(put('Fn/r-1'));

    expect(plan.effectCounts()).toEqual(new Map());
    expect(() => plan.set([{ function: 'Fn', afterEffect: 0 }])).toThrow(RangeError);
  });
});
