import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '#local/dynamodb/tables.ts';
import { applyFeedback, type FeedbackAnnouncement, type FeedbackDeps } from '#shared/outreach/feedback.ts';
import { toEmailTags } from '#shared/outreach/email-tags.ts';
import { parseFrequencyCap } from '#shared/outreach/frequency-cap.ts';
import { countEngagement, putOutreachState, readAddress, readMessage, readOutreachState } from '#shared/outreach/outreach-store.ts';
import { parseQuietHours } from '#shared/outreach/quiet-hours.ts';
import { REPOSITORY_TEMPLATES_DIR, createRenderer } from '#shared/outreach/render.ts';
import type { SendRequest } from '#shared/outreach/request.ts';
import { SendDeferredError, UnconfirmedSendError, sendEmail, type Announcement, type OutgoingEmail, type SenderDeps } from '#shared/outreach/send-email.ts';
import { emailHash } from '#shared/profile/identity.ts';
import { newProfile } from '#shared/profile/profile.ts';
import { putProfile } from '#shared/profile/store.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { defaultStack } from '#tests/support/stack.ts';

let dynamo: LocalDynamo;
let store: { ddb: LocalDynamo['ddb']; tableName: string };
let now = new Date('2026-11-22T03:00:00Z');

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
  store = { ddb: dynamo.ddb, tableName: dynamo.tableNames[0] ?? '' };
});

afterAll(async () => {
  await dynamo.close();
});

async function customer(id: string, email: string, subscribed = true) {
  const profile = {
    ...newProfile(id, '2026-11-01T00:00:00.000Z'),
    version: 1,
    email,
    timezone: 'Asia/Seoul',
    consent: { email: { all: { subscribed, at: '2026-11-01T00:00:00Z' }, topics: {} } },
  };
  await putProfile(store, profile);
}

function sender(send: (email: OutgoingEmail) => Promise<string>) {
  const sent: OutgoingEmail[] = [];
  const announced: Announcement[] = [];
  const deps: SenderDeps = {
    ...store,
    clock: () => now,
    settings: {
      fromAddress: 'shop@example.com',
      configurationSet: 'outreach',
      unsubscribeUrl: 'https://unsubscribe.example.com/',
      brand: { name: 'Oak & Lamp', url: 'https://shop.example.com' },
      advertiser: { name: 'Oak & Lamp Ltd.', contact: 'help@oak.example' },
      consentMode: 'opt-in',
      quietHours: parseQuietHours('21:00-08:00'),
      frequencyCap: parseFrequencyCap('3/7'),
      defaultTimezone: 'UTC',
    },
    renderer: createRenderer({ templatesDir: REPOSITORY_TEMPLATES_DIR }),
    sendEmail: async (email) => {
      const id = await send(email);
      sent.push(email);
      return id;
    },
    unsubscribeSecret: async () => 'secret',
    deferUntil: async () => {},
    announce: async (announcement) => {
      announced.push(announcement);
    },
  };
  return { deps, sent, announced };
}

const welcome = (customerId: string, key: string): SendRequest => ({
  version: 1,
  messageKey: key,
  customerId,
  template: 'welcome',
  kind: 'marketing',
  topic: 'newsletter',
  variables: {},
});

describe('sending an email (against a local DynamoDB)', () => {
  it('gives the claim and the frequency-cap slot back when SES refuses, so a retry sends once', async () => {
    await customer('c-refused', 'refused@example.com');
    const throttled = sender(async () => {
      throw Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' });
    });

    await expect(sendEmail(throttled.deps, welcome('c-refused', 'k-refused'))).rejects.toBeInstanceOf(SendDeferredError);
    expect(await readMessage(store, 'c-refused', 'k-refused')).toBeUndefined();
    expect((await readOutreachState(store, 'c-refused')).marketingSentAt).toEqual([]);

    const working = sender(async () => 'ses-1');
    expect(await sendEmail(working.deps, welcome('c-refused', 'k-refused'))).toEqual({ status: 'sent', messageId: 'ses-1' });
    expect(await sendEmail(working.deps, welcome('c-refused', 'k-refused'))).toEqual({ status: 'duplicate' });
    expect(working.sent).toHaveLength(1);
    expect(await readMessage(store, 'c-refused', 'k-refused')).toMatchObject({ status: 'sent', messageId: 'ses-1' });
  });

  it('never sends again a message whose earlier send was not confirmed', async () => {
    await customer('c-crash', 'crash@example.com');
    // An attempt claims the message and dies inside the SES call: it neither confirms nor releases.
    // The SES call is made only once the claim is written: reaching it is the moment to look.
    let reachedSes = () => {};
    const inSesCall = new Promise<void>((resolve) => {
      reachedSes = resolve;
    });
    const crashing = sender(() => {
      reachedSes();
      return new Promise(() => {});
    });
    void sendEmail(crashing.deps, welcome('c-crash', 'k-crash'));
    await inSesCall;
    expect(await readMessage(store, 'c-crash', 'k-crash')).toMatchObject({ status: 'sending' });

    const retry = sender(async () => 'ses-2');
    await expect(sendEmail(retry.deps, welcome('c-crash', 'k-crash'))).rejects.toBeInstanceOf(SendDeferredError);
    now = new Date(now.getTime() + 16 * 60_000);
    await expect(sendEmail(retry.deps, welcome('c-crash', 'k-crash'))).rejects.toBeInstanceOf(UnconfirmedSendError);
    expect(retry.sent).toHaveLength(0);
  });

  it('reports a template that cannot render, and sends nothing', async () => {
    await customer('c-render', 'render@example.com');
    const { deps, sent, announced } = sender(async () => 'ses-3');

    const outcome = await sendEmail(deps, { ...welcome('c-render', 'k-render'), template: 'order-confirmation', kind: 'transactional', topic: undefined });

    expect(outcome).toEqual({ status: 'skipped', reason: 'render-failed' });
    expect(sent).toHaveLength(0);
    expect(announced).toEqual([expect.objectContaining({ type: 'outreach.skipped', reason: 'render-failed' })]);
  });
});

describe('SES feedback (against a local DynamoDB)', () => {
  const announced: FeedbackAnnouncement[] = [];
  const deps = (): FeedbackDeps => ({ ...store, clock: () => now, softBounceLimit: 3, announce: async (announcement) => void announced.push(announcement) });
  const event = (eventType: string, extra: Record<string, unknown>, messageKey = 'k-feedback') => ({
    eventType,
    mail: {
      messageId: `ses-${messageKey}`,
      destination: ['soft@example.com'],
      tags: Object.fromEntries(
        toEmailTags({ customerId: 'c-feedback', messageKey, template: 'welcome', kind: 'marketing' }).map((tag) => [tag.Name, [tag.Value]]),
      ),
    },
    ...extra,
  });

  it('suppresses an address after the configured soft bounces in a row, a delivery resetting the count', async () => {
    await customer('c-feedback', 'soft@example.com');
    const softBounce = (key: string) =>
      event('Bounce', { bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'soft@example.com' }] } }, key);
    const hash = emailHash('soft@example.com');

    await applyFeedback(deps(), softBounce('k1'));
    await applyFeedback(deps(), softBounce('k2'));
    await applyFeedback(deps(), event('Delivery', { delivery: { recipients: ['soft@example.com'] } }, 'k3'));
    expect(await readAddress(store, hash)).toEqual(expect.objectContaining({ softBounces: 0 }));

    for (const key of ['k4', 'k5']) await applyFeedback(deps(), softBounce(key));
    expect((await readAddress(store, hash)).suppressed).toBeUndefined();
    await applyFeedback(deps(), softBounce('k6'));
    expect((await readAddress(store, hash)).suppressed).toMatchObject({ reason: 'soft-bounces' });
    // Only the bounce that suppressed the address says so: the journey engine stops the customer's runs on it.
    const bounces = announced.filter((announcement) => announcement.detailType === 'email.bounced');
    expect(bounces.map((announcement) => announcement.data.suppressed)).toEqual([undefined, undefined, undefined, undefined, true]);
  });

  it('counts engagement once per message however often SES repeats an event', async () => {
    const { deps: senderDeps } = sender(async () => 'ses-k-open');
    await sendEmail(senderDeps, welcome('c-feedback', 'k-open'));
    const opened = event('Open', { open: { timestamp: '2026-11-22T04:00:00Z' } }, 'k-open');
    const first = await applyFeedback(deps(), opened);
    const again = await applyFeedback(deps(), opened);

    expect(first).toMatchObject({ status: 'applied', announced: 'email.opened' });
    expect(again).toEqual({ status: 'ignored', reason: 'repeat' });
    expect((await readOutreachState(store, 'c-feedback')).counters.opened).toBe(1);
    const openEvents = announced.filter((announcement) => announcement.detailType === 'email.opened');
    // Announced each time with the same event id: consumers drop the repeat.
    expect(new Set(openEvents.map((announcement) => announcement.eventId)).size).toBe(1);
  });

  it('ignores SES events for email the system did not send', async () => {
    expect(await applyFeedback(deps(), { eventType: 'Delivery', mail: { messageId: 'x', destination: [] } })).toEqual({
      status: 'ignored',
      reason: 'not-ours',
    });
  });
});

describe('engagement counts', () => {
  it('move the version on, so a sender that read the state in the middle of a count cannot write over it', async () => {
    // prepare: a sender reads the state while a count is under way, between its two writes
    await countEngagement(store, 'c-count', 'sent');
    let read: Awaited<ReturnType<typeof readOutreachState>> | undefined;
    const ddb = new Proxy(store.ddb, {
      get(target, name, receiver) {
        if (name !== 'send') return Reflect.get(target, name, receiver);
        return async (command: { input?: { UpdateExpression?: string } }) => {
          if (command.input?.UpdateExpression?.startsWith('SET counters.#counter')) read = await readOutreachState(store, 'c-count');
          return target.send(command as never);
        };
      },
    });

    // act: feedback counts a delivery; then the sender writes back what it read
    await countEngagement({ ...store, ddb }, 'c-count', 'delivered');
    const state = read ?? (await readOutreachState(store, 'c-count'));
    const written = await putOutreachState(store, 'c-count', { ...state, version: state.version + 1 });

    // assess: the stale write is refused, and both counts stand
    expect(read).toBeDefined();
    expect(written).toBe(false);
    expect((await readOutreachState(store, 'c-count')).counters).toEqual({ sent: 1, delivered: 1 });
  });
});
