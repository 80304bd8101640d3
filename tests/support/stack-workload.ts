/**
 * A small workload that takes every kind of identity in the stack through one call it needs: each
 * stage workflow's route and machine, the functions of outreach, insights and journeys, the
 * schedules, the function URLs, and EventBridge under resource policies. Each customer has a part
 * of their own, so that a grant missing from one part leaves the others as they were; `Observe`
 * then tells whether each behaviour happened, judged from outside (the store, the inbox, the
 * system's events, probe queues), not from the local cloud's log.
 */
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { EmitInput } from '#shared/events/emitter.ts';
import { newProfile, type Profile } from '#shared/profile/profile.ts';
import { putProfile, readProfile } from '#shared/profile/store.ts';
import { readProducts } from '#shared/scoring/product-details.ts';
import { readSnapshot } from '#shared/segments/snapshot.ts';
import { ProbeNames } from '#tests/fixtures/probes.ts';
import { emitAndSettle, type TestCloud } from './local-cloud.ts';
import { emailsTo, systemEvents, type StoredEmail, type SystemEvent } from './observe.ts';

const HOUR = 3_600_000;
/** Monday 10:00 in Seoul, where everyone lives: no email waits for quiet hours. */
export const WORKLOAD_START = Date.parse('2026-11-23T01:00:00Z');

/** The customers, one a part. */
export const Customers = {
  Discover: 'g-discover',
  Research: 'g-research',
  Buy: 'g-buy',
  Use: 'g-use',
  Support: 'g-support',
  Retain: 'g-retain',
  Profile: 'g-profile',
  Mail: 'g-mail',
  /** In London, where it is night when the workload starts: their email waits for the morning. */
  Night: 'g-night',
  WinBack: 'g-winback',
  /** At risk of leaving, until the daily scoring finds otherwise. */
  Scored: 'g-scored',
} as const;

const address = (id: string) => `${id}@example.com`;
const person = (id: string) => ({ id, email: address(id), timezone: 'Asia/Seoul', locale: 'en-US' });
const event = (detailType: string, id: string, data: Record<string, unknown>) => ({ detailType, detail: { customer: person(id), data } }) as EmitInput;
const chair = { productId: 'p-g-chair', name: 'Oak chair', category: 'furniture', quantity: 1, price: 89 };

/** A known, consenting customer written straight to the store (as an operator's import would). */
async function knownCustomer(test: TestCloud, id: string, extra: Partial<Profile> = {}): Promise<void> {
  const now = new Date(test.cloud.clock.now()).toISOString();
  await putProfile(
    { ddb: test.ddb, tableName: test.tableName },
    {
      ...newProfile(id, now),
      version: 1,
      email: address(id),
      timezone: 'Asia/Seoul',
      stage: 'retain',
      counters: { events: 3, orders: 1, supportRequests: 0 },
      consent: { email: { all: { subscribed: true, at: now }, topics: {} } },
      ...extra,
    },
  );
}

/** What the workload left behind, read once it is done. */
export interface Observed {
  readonly profiles: Readonly<Record<string, Profile | undefined>>;
  readonly emails: Readonly<Record<string, readonly StoredEmail[]>>;
  readonly events: readonly SystemEvent[];
  /** The answer to the one-click unsubscribe link of the email to Customers.Mail. */
  readonly unsubscribeStatus?: number;
  readonly productKnown: boolean;
  readonly atRiskEvaluated: boolean;
  /** Messages the probes' queues got: the schedule's, and EventBridge's for every stage change. */
  readonly scheduledProbe: number;
  readonly stageChangeProbe: number;
}

const received = async (test: TestCloud, queue: string) =>
  (await test.sqs.send(new ReceiveMessageCommand({ QueueUrl: `${test.cloud.endpoint}/000000000000/${queue}`, MaxNumberOfMessages: 10 }))).Messages?.length ?? 0;

/** Runs the workload on a cloud started at WORKLOAD_START with its clock standing still, and reads what it left. */
export async function runWorkload(test: TestCloud): Promise<Observed> {
  const [outputs = {}] = Object.values(test.cloud.outputs);
  const store = { ddb: test.ddb, tableName: test.tableName };
  // The SES emulator keeps one inbox for the whole process: an earlier cloud's emails are not this one's.
  await fetch(`${test.cloud.sesEndpoint}/clear-store`, { method: 'POST' });
  await knownCustomer(test, Customers.Mail);
  await knownCustomer(test, Customers.Night, { timezone: 'Europe/London' });
  await knownCustomer(test, Customers.WinBack);
  await knownCustomer(test, Customers.Scored, { attributes: { churnRisk: true } });

  await emitAndSettle(test, [
    // Not a lead: the welcome series records a lead itself, to greet them at once.
    event('campaign.touched', Customers.Discover, { channel: 'ad', campaign: 'g-spring' }),
    event('product.viewed', Customers.Research, { productId: chair.productId, name: chair.name, category: chair.category, price: chair.price }),
    event('order.placed', Customers.Buy, { orderId: 'o-g-1', items: [chair], total: chair.price, currency: 'EUR' }),
    // Not an activation: onboarding-nudge's goal, which the journey engine records itself when nobody waits for it.
    event('usage.recorded', Customers.Use, { productId: chair.productId, feature: 'assembly-guide', source: 'app' }),
    event('support.requested', Customers.Support, { requestId: 'r-g-1', channel: 'email', message: 'How long does delivery take?' }),
    event('survey.responded', Customers.Retain, { surveyId: 's-g-1', kind: 'nps', score: 9 }),
    event('profile.updated', Customers.Profile, { attributes: { plan: 'gold' } }),
    event('journey.launch.requested', 'ops', { launchId: 'g-launch', journey: 'win-back', customerIds: [Customers.WinBack] }),
  ]);
  // Marketing email straight onto the outreach queue, as a workflow would ask for it.
  for (const customerId of [Customers.Mail, Customers.Night]) {
    await test.sqs.send(
      new SendMessageCommand({
        QueueUrl: outputs.OutreachQueueUrl ?? '',
        MessageBody: JSON.stringify({
          version: 1,
          messageKey: `g-news-${customerId}`,
          customerId,
          template: 'welcome',
          kind: 'marketing',
          topic: 'newsletter',
        }),
      }),
    );
  }
  await test.cloud.settle();

  const [mail] = await emailsTo(test, address(Customers.Mail));
  const link = mail?.headers?.find((header) => header.name === 'List-Unsubscribe')?.value.slice(1, -1);
  const unsubscribe = link
    ? await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })
    : undefined;
  await unsubscribe?.body?.cancel();

  // Two days: the daily scoring (02:00 UTC) and segment evaluation (04:00 UTC), the daily probe schedule.
  for (let hours = 0; hours < 48; hours += 6) {
    test.cloud.clock.advance(6 * HOUR);
    await test.cloud.settle(120_000);
  }

  const ids = Object.values(Customers);
  const profiles = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await readProfile(store, id)] as const)));
  const emails = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await emailsTo(test, address(id))] as const)));
  return {
    profiles,
    emails,
    events: await systemEvents(test, []),
    ...(unsubscribe && { unsubscribeStatus: unsubscribe.status }),
    productKnown: (await readProducts(store, [chair.productId])).has(chair.productId),
    atRiskEvaluated: (await readSnapshot(store, 'at-risk')) !== undefined,
    scheduledProbe: await received(test, ProbeNames.Scheduled),
    stageChangeProbe: await received(test, ProbeNames.StageChanges),
  };
}
