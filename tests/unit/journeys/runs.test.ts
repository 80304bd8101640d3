import { describe, expect, it } from 'vitest';
import { readLock } from '#infra/definitions.ts';
import { measuresLift } from '#shared/journeys/definition.ts';
import { journeyFingerprint, lockFor, lockProblems } from '#shared/journeys/fingerprint.ts';
import { loadJourneys } from '#shared/journeys/load-journeys.ts';
import { outcomeCounters, messageCounter, statsFrom } from '#shared/journeys/metrics.ts';
import { plannedMessages } from '#shared/journeys/plan.ts';
import { bucket, chooseVariant } from '#shared/journeys/run.ts';
import { newProfile, type Profile } from '#shared/profile/profile.ts';

const journeys = await loadJourneys();
const journey = (name: string) => journeys.find((each) => each.name === name) ?? expect.unreachable(`no journey ${name}`);
const runIds = Array.from({ length: 10_000 }, (_, index) => `launch-1-c${index}`);

describe('drawing variants and holdouts', () => {
  it('gives a run the same bucket every time, and different steps independent buckets', () => {
    expect(bucket('run-1', 'holdout')).toBe(bucket('run-1', 'holdout'));
    expect(bucket('run-1', 'holdout')).not.toBe(bucket('run-1', 'split'));
    const buckets = runIds.map((id) => bucket(id, 'holdout'));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(100);
  });

  it("splits runs by the variants' percentages", () => {
    const variants = [
      { name: 'A', percent: 20 },
      { name: 'B', percent: 30 },
      { name: 'C', percent: 50 },
    ];
    const counts = { A: 0, B: 0, C: 0 } as Record<string, number>;
    for (const id of runIds) counts[chooseVariant(id, 'subject-test', variants)] = (counts[chooseVariant(id, 'subject-test', variants)] ?? 0) + 1;
    expect((counts.A ?? 0) / runIds.length).toBeCloseTo(0.2, 1);
    expect((counts.B ?? 0) / runIds.length).toBeCloseTo(0.3, 1);
    expect((counts.C ?? 0) / runIds.length).toBeCloseTo(0.5, 1);
    expect(
      runIds.every(
        (id) =>
          chooseVariant(id, 'x', [
            { name: 'all', percent: 100 },
            { name: 'none', percent: 0 },
          ]) === 'all',
      ),
    ).toBe(true);
  });
});

describe('journey metrics', () => {
  it('counts an outcome overall, by group and by variant', () => {
    expect(outcomeCounters('converted', true)).toEqual(['converted', 'holdout.converted']);
    expect(outcomeCounters('completed', false, 'B')).toEqual(['completed', 'treatment.completed', 'variant.B.completed']);
    expect(messageCounter('opened', 'tips-a')).toBe('opened#tips-a');
  });

  it('derives active runs, conversion rates per group and the lift', () => {
    const stats = statsFrom('win-back', 1, {
      entered: 100,
      'holdout.entered': 10,
      converted: 23,
      'holdout.converted': 1,
      'treatment.converted': 22,
      completed: 50,
      left: 2,
      failed: 1,
      'sent#offer': 90,
      'delivered#offer': 88,
      'clicked#offer': 7,
      'deferred#offer': 4,
      'skipped.no-consent#offer': 6,
      'skipped.capped#offer': 1,
      'skipped.no-consent#reminder': 2,
      'notEntered.cooling-down': 5,
      'variant.A.entered': 45,
      'variant.A.converted': 12,
      'entered#holdout': 100,
      'entered#offer': 97,
    });
    expect(stats).toMatchObject({ entered: 100, active: 100 - 23 - 50 - 2 - 1, converted: 23, completed: 50, left: 2, failed: 1 });
    expect(stats.holdout).toEqual({ entered: 10, converted: 1, rate: 0.1 });
    expect(stats.treatment).toEqual({ entered: 90, converted: 22, rate: 22 / 90 });
    expect(stats.lift).toBeCloseTo((22 / 90 - 0.1) / 0.1, 10);
    expect(stats.messages).toEqual({
      offer: { sent: 90, delivered: 88, opened: 0, clicked: 7, deferred: 4, skipped: { 'no-consent': 6, capped: 1 } },
      // A step whose every email was skipped still shows, with why.
      reminder: { sent: 0, delivered: 0, opened: 0, clicked: 0, deferred: 0, skipped: { 'no-consent': 2 } },
    });
    expect(stats.notEntered).toEqual({ 'cooling-down': 5 });
    expect(stats.measuresLift).toBe(true);
    expect(stats.variants).toEqual({ A: { entered: 45, converted: 12 } });
    // Runs that reached a step are apart from the journey's own entries and from the step's emails.
    expect(stats.reached).toEqual({ holdout: 100, offer: 97 });
  });

  it('reports no lift while the holdout has not converted, and zeros for a journey nobody entered', () => {
    expect(statsFrom('win-back', 1, { entered: 10, 'holdout.entered': 1, 'treatment.converted': 3, converted: 3 }).lift).toBeUndefined();
    expect(statsFrom('win-back', 2, {})).toMatchObject({
      entered: 0,
      active: 0,
      holdout: { rate: 0 },
      treatment: { rate: 0 },
      messages: {},
      notEntered: {},
      reached: {},
    });
  });

  it('says whether the journey measures lift at all (it has a holdout step)', () => {
    expect(statsFrom('welcome-series', 1, { entered: 3 }, false).measuresLift).toBe(false);
    expect(measuresLift(journey('welcome-series'))).toBe(false);
    expect(measuresLift(journey('win-back'))).toBe(true);
  });
});

describe('planning a dry run', () => {
  const lead = (topics: Record<string, boolean>): Profile => {
    const at = '2026-11-20T10:00:00.000Z';
    const profile = newProfile('c-1', at);
    return { ...profile, consent: { email: { topics: Object.fromEntries(Object.entries(topics).map(([topic, subscribed]) => [topic, { subscribed, at }])) } } };
  };
  const now = Date.parse('2026-11-22T10:00:00.000Z');

  it("lists the welcome, the tips of the run's variant and the offer for a lead who agreed to both topics", () => {
    const runId = 'launch-1-c-1';
    const tips =
      chooseVariant(runId, 'subject-test', [
        { name: 'A', percent: 50 },
        { name: 'B', percent: 50 },
      ]) === 'A'
        ? 'tips-a'
        : 'tips-b';
    expect(plannedMessages(journey('welcome-series'), lead({ newsletter: true, offers: true }), runId, 'opt-in', now)).toEqual([
      { step: 'welcome', template: 'welcome', kind: 'marketing' },
      { step: tips, template: 'welcome-tips', kind: 'marketing' },
      { step: 'offer', template: 'welcome-offer', kind: 'marketing' },
    ]);
  });

  it('leaves out the offer branch without offers consent, and notes what would be skipped', () => {
    const plan = plannedMessages(journey('welcome-series'), lead({ newsletter: false }), 'run-2', 'opt-in', now);
    expect(plan.map((message) => message.step)).not.toContain('offer');
    expect(plan.find((message) => message.step === 'welcome')?.note).toBe('skipped: unsubscribed');
  });

  it('notes the condition of each outcome of waiting for an event', () => {
    expect(plannedMessages(journey('cart-recovery'), lead({ offers: true }), 'run-3', 'opt-in', now)).toEqual([
      { step: 'reminder', template: 'cart-reminder', kind: 'marketing' },
      { step: 'last-call', template: 'cart-last-call', kind: 'marketing', note: 'if no checkout.started within 23h' },
    ]);
  });

  it('marks every message of a held-out run as not sent', () => {
    const heldOut = runIds.find((id) => bucket(id, 'holdout') < 10) ?? expect.unreachable();
    const plan = plannedMessages(journey('win-back'), lead({ offers: true }), heldOut, 'opt-in', now);
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.every((message) => message.note === 'holdout: not sent')).toBe(true);
  });
});

describe('journey versions', () => {
  it('locks every journey in the repository at its current version and fingerprint', () => {
    expect(lockProblems(journeys, readLock() ?? {})).toEqual([]);
    expect(readLock()).toEqual(lockFor(journeys));
  });

  it('asks for a new version when a journey changes, and refuses going back', () => {
    const lock = lockFor(journeys);
    const cart = journey('cart-recovery');
    const edited = { ...cart, description: 'Reminders at 2 hours and 24 hours.' };
    expect(journeyFingerprint(edited)).not.toBe(journeyFingerprint(cart));
    expect(lockProblems([edited], lock)).toEqual([
      `journey cart-recovery changed but is still version ${cart.version}: raise its version, then run npx lifecycle journey lock`,
    ]);
    expect(lockProblems([{ ...edited, version: cart.version + 1 }], lock)).toEqual([]);
    expect(lockProblems([cart], { 'cart-recovery': { version: 9, fingerprint: 'x' } })).toEqual([
      `journey cart-recovery went back from version 9 to ${cart.version}`,
    ]);
    expect(lockProblems([cart], {})).toEqual(['journey cart-recovery is not in journeys.lock.json: run npx lifecycle journey lock']);
  });

  it('fingerprints the same definition the same, whatever the order of its keys', () => {
    const cart = journey('cart-recovery');
    const reordered = Object.fromEntries(Object.entries(cart).reverse()) as typeof cart;
    expect(journeyFingerprint(reordered)).toBe(journeyFingerprint(cart));
  });
});
