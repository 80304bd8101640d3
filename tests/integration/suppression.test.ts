/**
 * `lifecycle suppression`: operators see which addresses get no email, why and since when, suppress
 * one by hand and lift one; the sender honours both, and every change is kept with who and why.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '#shared/events/emitter.ts';
import { readMessages } from '#shared/outreach/outreach-store.ts';
import { emitAndSettle, eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo } from '#tests/support/observe.ts';
import { runCli } from '#tests/support/run-cli.ts';

// Noon in Seoul: no quiet hours hold an email back.
const START = Date.parse('2026-11-22T03:00:00Z');
let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
});

afterAll(async () => {
  await test.stop();
});

const lifecycle = async (...args: string[]) => {
  const result = await runCli(test.cloud.endpoint, ...args);
  if (result.code !== 0) throw new Error(`lifecycle ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
};
const json = async (...args: string[]) => JSON.parse(await lifecycle(...args, '--json'));
const store = () => ({ ddb: test.ddb, tableName: test.tableName });

// Written here from the README's table (128 bits of the SHA-256 of the lower-cased address), not taken from the code.
const hashOf = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

const lead = (id: string, email: string): EmitInput =>
  ({ detailType: 'lead.captured', detail: { customer: { id, email, timezone: 'Asia/Seoul' }, data: { channel: 'web' } } }) as EmitInput;
const order = (id: string, orderId: string): EmitInput =>
  ({
    detailType: 'order.placed',
    detail: { customer: { id }, data: { orderId, items: [{ productId: 'p-1', quantity: 1, price: 5 }], total: 5, currency: 'EUR' } },
  }) as EmitInput;

describe('managing the suppression list', () => {
  const email = 'Mina.Sup@example.com';

  it('suppresses an address by hand: the sender skips it, the list says why, since when and by whom', async () => {
    await emitAndSettle(test, [lead('c-sup', email)]);

    expect(await json('suppression', 'add', email, '--reason', 'asked by phone to stop all mail', '--by', 'ops-kim')).toEqual({ status: 'suppressed' });
    await emitAndSettle(test, [order('c-sup', 'o-sup-1')]);

    expect(await emailsTo(test, email.toLowerCase())).toEqual([]);
    expect(await emailsTo(test, email)).toEqual([]);
    expect((await readMessages(store(), 'c-sup')).find((message) => message.template === 'order-confirmation')).toMatchObject({
      status: 'skipped',
      reason: 'suppressed',
    });
    const listed = await json('suppression', 'list');
    expect(listed).toContainEqual({
      hash: hashOf(email),
      customerId: 'c-sup',
      suppressed: { reason: 'operator', note: 'asked by phone to stop all mail', by: 'ops-kim', at: new Date(START).toISOString() },
      changes: 1,
    });
    // No plain address anywhere in what the list prints.
    expect(JSON.stringify(listed).toLowerCase()).not.toContain('mina.sup');
    // The customer's profile says so too.
    expect(await lifecycle('profile', 'show', 'c-sup')).toContain('suppressed   operator (asked by phone to stop all mail) since 2026-11-22T03:00:00.000Z');
  });

  it('keeps the first reason when the address is suppressed again', async () => {
    const again = await json('suppression', 'add', email, '--reason', 'second try', '--by', 'ops-park');

    expect(again).toMatchObject({ status: 'already-suppressed', suppressed: { by: 'ops-kim' } });
  });

  it('lifts a suppression with a reason: the address gets email again, and both changes are kept', async () => {
    test.cloud.clock.advance(3_600_000);
    const lifted = await json('suppression', 'remove', email, '--reason', 'customer asked to hear from us again', '--by', 'ops-lee');
    await emitAndSettle(test, [order('c-sup', 'o-sup-2')]);

    expect(lifted).toMatchObject({ status: 'lifted', was: { reason: 'operator', by: 'ops-kim' } });
    expect((await json('suppression', 'list')).map((entry: { hash: string }) => entry.hash)).not.toContain(hashOf(email));
    await eventually(async () => ((await emailsTo(test, email)).length === 1 ? true : undefined), 'the second order confirmation');
    expect(await json('suppression', 'show', email)).toEqual({
      softBounces: 0,
      changes: [
        { action: 'suppressed', reason: 'operator', note: 'asked by phone to stop all mail', by: 'ops-kim', at: new Date(START).toISOString() },
        { action: 'lifted', reason: 'operator', note: 'customer asked to hear from us again', by: 'ops-lee', at: new Date(START + 3_600_000).toISOString() },
      ],
    });
    expect(await json('suppression', 'remove', email, '--reason', 'again')).toEqual({ status: 'not-suppressed' });
  });

  it('lists what SES feedback suppressed, with the feedback as the one who did it', async () => {
    const complainer = 'complaint@simulator.amazonses.com';
    await emitAndSettle(test, [lead('c-complains', complainer), order('c-complains', 'o-complains')]);

    // SES reports the complaint a little after the delivery: move the clock on until it has.
    let listed: { hash: string } | undefined;
    for (let minute = 0; minute < 30 && !listed; minute++) {
      test.cloud.clock.advance(60_000);
      await test.cloud.settle();
      listed = ((await json('suppression', 'list')) as { hash: string }[]).find((entry) => entry.hash === hashOf(complainer));
    }

    expect(listed).toMatchObject({ customerId: 'c-complains', suppressed: { reason: 'complaint', by: 'ses-feedback' } });
    expect(await lifecycle('suppression', 'list')).toMatch(/complaint\s+\S+\s+ses-feedback/);
  });
});
