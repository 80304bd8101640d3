import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailHash } from '#shared/profile/identity.ts';
import { newProfile, type Profile } from '#shared/profile/profile.ts';
import { claimIdentity, putProfile, putTimelineEntry } from '#shared/profile/store.ts';
import { countSegment, countSegments, segmentMembers, type Segment, type SegmentDeps } from '#shared/segments/index.ts';
import { readSnapshot, readSnapshotHistory, recordSnapshot } from '#shared/segments/snapshot.ts';
import type { Stage } from '#shared/stages/stages.ts';
import type { Template } from '#local/dynamodb/tables.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { defaultStack } from '#tests/support/stack.ts';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;

/**
 * The population: in each stage, customers `<stage>-01` … `<stage>-NN`. Customer i was last active
 * 7·i days ago (so lower numbers are more recent), has i mod 4 orders, is tagged vip when i is 1,
 * and agreed to offers when i is even.
 */
const STAGE_SIZES: Readonly<Record<Stage, number>> = { discover: 12, research: 10, buy: 10, use: 12, support: 6, retain: 10 };

function customer(stage: Stage, i: number): Profile {
  return {
    ...newProfile(`${stage}-${String(i).padStart(2, '0')}`, '2025-01-01T00:00:00.000Z'),
    version: 1,
    stage,
    lastActivityAt: new Date(NOW - i * 7 * DAY).toISOString(),
    counters: { events: 10, orders: i % 4, supportRequests: 0 },
    attributes: i === 1 ? { tags: 'vip,early-adopter' } : {},
    consent: { email: { topics: i % 2 === 0 ? { offers: { subscribed: true, at: '2026-01-01T00:00:00.000Z' } } : {} } },
  };
}

/** A provisional profile merged into a customer: it would match both segments, but is nobody. */
const merged: Profile = {
  ...newProfile('anon:merged', '2025-01-01T00:00:00.000Z'),
  version: 1,
  stage: 'retain',
  lastActivityAt: new Date(NOW - 100 * DAY).toISOString(),
  counters: { events: 9, orders: 5, supportRequests: 0 },
  attributes: { tags: 'vip' },
  mergedInto: 'retain-01',
};

const repeatBuyersInUse: Segment = {
  name: 'repeat-buyers',
  description: 'Using or retained, with two orders or more',
  conditions: { all: [{ stage: ['retain', 'use'] }, { counter: 'orders', gte: 2 }] },
};

const vipsOrQuietSubscribers: Segment = {
  name: 'vips-or-quiet-subscribers',
  description: 'VIPs, and customers quiet for two months who agreed to offers',
  conditions: { any: [{ tag: 'vip' }, { all: [{ lastActive: { olderThanDays: 60 } }, { consent: 'offers' }] }] },
};

let dynamo: LocalDynamo;
let deps: SegmentDeps;

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
  deps = { ddb: dynamo.ddb, tableName: dynamo.tableNames[0] ?? '', now: () => NOW, consentMode: 'opt-in' };
  const profiles = Object.entries(STAGE_SIZES).flatMap(([stage, size]) => Array.from({ length: size }, (_, index) => customer(stage as Stage, index + 1)));
  for (const profile of [...profiles, merged]) expect((await putProfile(deps, profile)).ok).toBe(true);
  // Other items share the table: a scan must skip them (they hold no profile to unpack).
  for (const customerId of ['use-02', 'retain-01']) {
    await putTimelineEntry(
      deps,
      {
        customerId,
        eventId: `e-${customerId}`,
        detailType: 'order.placed',
        source: 'test',
        occurredAt: '2026-11-01T00:00:00.000Z',
        recordedAt: '2026-11-01T00:00:00.000Z',
        version: 1,
        data: {},
      },
      Math.floor(NOW / 1000) + 86_400,
    );
  }
  await claimIdentity(deps, 'email', emailHash('use-02@example.com'), 'use-02');
});

afterAll(async () => {
  await dynamo.close();
});

async function members(segment: Segment) {
  const progress: [number, number][] = [];
  const ids: string[] = [];
  for await (const profile of segmentMembers(deps, segment, { onProgress: (examined, matched) => progress.push([examined, matched]) }))
    ids.push(profile.customerId);
  return { ids, progress };
}

describe('segments against the profile store (local DynamoDB)', () => {
  it('reads a stage-restricted segment through the stage index: only those stages, most recently active first', async () => {
    const { ids, progress } = await members(repeatBuyersInUse);

    // i mod 4 >= 2: i = 2, 3, 6, 7, 10, 11 (use has 12 customers, retain 10).
    expect(ids).toEqual(['use-02', 'use-03', 'use-06', 'use-07', 'use-10', 'use-11', 'retain-02', 'retain-03', 'retain-06', 'retain-07', 'retain-10']);
    // Examined: the 12 + 10 customers of use and retain, none of the other 38 (nor the merged profile).
    expect(progress.at(-1)).toEqual([22, 11]);
    expect(progress.map(([examined]) => examined)).toEqual([...progress.map(([examined]) => examined)].sort((a, b) => a - b));
  });

  it('scans for a segment any stage could match, and leaves merged profiles out', async () => {
    const { ids, progress } = await members(vipsOrQuietSubscribers);

    // vip: every <stage>-01. Quiet (7·i > 60, so i >= 9) and agreed to offers (i even): i = 10, 12.
    expect(ids.sort()).toEqual([
      'buy-01',
      'buy-10',
      'discover-01',
      'discover-10',
      'discover-12',
      'research-01',
      'research-10',
      'retain-01',
      'retain-10',
      'support-01',
      'use-01',
      'use-10',
      'use-12',
    ]);
    // Every customer's profile is read through the stage index — the 60 customers — and nothing
    // else: neither timelines nor the merged profile, which the index leaves out.
    expect(progress.at(-1)).toEqual([60, 13]);
  });

  it('counts members and says how it found them', async () => {
    expect(await countSegment(deps, repeatBuyersInUse)).toEqual({ members: 11, examined: 22, plan: { kind: 'stage-index', stages: ['use', 'retain'] } });
    expect(await countSegment(deps, vipsOrQuietSubscribers)).toEqual({ members: 13, examined: 60, plan: { kind: 'scan', segments: 4 } });
  });

  it('counts several segments in one read of the store, each as if counted alone', async () => {
    const counts = await countSegments(deps, [repeatBuyersInUse, vipsOrQuietSubscribers]);
    // One scan serves both (one of them needs every profile): the 60 customers, read once.
    expect(counts).toEqual([
      { members: 11, examined: 60, plan: { kind: 'scan', segments: 4 } },
      { members: 13, examined: 60, plan: { kind: 'scan', segments: 4 } },
    ]);
    // Segments of a few stages only: one query of those stages serves them all.
    expect(await countSegments(deps, [repeatBuyersInUse, repeatBuyersInUse])).toEqual([
      { members: 11, examined: 22, plan: { kind: 'stage-index', stages: ['use', 'retain'] } },
      { members: 11, examined: 22, plan: { kind: 'stage-index', stages: ['use', 'retain'] } },
    ]);
  });

  it('judges time windows and consent by the deps it is given', async () => {
    const later = { ...deps, now: () => NOW + 30 * DAY, consentMode: 'opt-out' as const };
    // Thirty days on, 7·i + 30 > 60 holds from i = 5; in opt-out mode no statement means yes. So
    // every i >= 5 (8 + 6 + 6 + 8 + 2 + 6 = 36) and the six vips.
    expect((await countSegment(later, vipsOrQuietSubscribers)).members).toBe(42);
  });

  it('keeps the latest evaluation of a segment, whatever order evaluations arrive in', async () => {
    const count = await countSegment(deps, repeatBuyersInUse);
    await recordSnapshot(deps, 'repeat-buyers', count, new Date('2026-11-22T08:00:00.000Z'));
    await recordSnapshot(deps, 'repeat-buyers', { ...count, members: 3 }, new Date('2026-11-21T08:00:00.000Z'));

    expect(await readSnapshot(deps, 'repeat-buyers')).toEqual({
      segment: 'repeat-buyers',
      members: 11,
      examined: 22,
      plan: 'stage-index',
      evaluatedAt: '2026-11-22T08:00:00.000Z',
    });
    expect(await readSnapshot(deps, 'never-evaluated')).toBeUndefined();
    // One count a day, the day's latest, oldest day first.
    await recordSnapshot(deps, 'repeat-buyers', { ...count, members: 12 }, new Date('2026-11-22T04:00:00.000Z'));
    expect(await readSnapshotHistory(deps, 'repeat-buyers')).toEqual([
      { day: '2026-11-21', members: 3 },
      { day: '2026-11-22', members: 11 },
    ]);
    // The snapshot shares the table, and no segment takes it for a profile.
    expect((await countSegment(deps, vipsOrQuietSubscribers)).examined).toBe(60);
  });
});
