import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '#local/dynamodb/tables.ts';
import { enter, leave, readMembership } from '#shared/journeys/membership.ts';
import { startDynalite, type LocalDynamo } from '#tests/support/dynalite.ts';
import { defaultStack } from '#tests/support/stack.ts';

let dynamo: LocalDynamo;
const store = () => ({ ddb: dynamo.ddb, tableName: dynamo.tableNames[0] ?? '' });
const now = new Date('2026-11-23T01:00:00Z');

beforeAll(async () => {
  dynamo = await startDynalite(defaultStack().template.toJSON() as Template);
});

afterAll(async () => {
  await dynamo.close();
});

describe('journey membership', () => {
  it('never starts a second run on the same trigger event, even of a journey that may be entered any time', async () => {
    expect(await enter(store(), 'c-1', 'csat-survey', 1, 'run-1', 'always', now, 'support-resolved-1')).toBeUndefined();
    expect(await leave(store(), 'c-1', 'csat-survey', 'run-1', 'completed', now)).toBe(true);

    // The same support.resolved, delivered again or redriven from a dead-letter queue: refused.
    expect(await enter(store(), 'c-1', 'csat-survey', 1, 'run-2', 'always', now, 'support-resolved-1')).toBe('same-trigger');
    // A new request resolved: a new survey.
    expect(await enter(store(), 'c-1', 'csat-survey', 1, 'run-3', 'always', now, 'support-resolved-2')).toBeUndefined();
    expect((await readMembership(store(), 'c-1', 'csat-survey'))?.triggers).toEqual(['support-resolved-1', 'support-resolved-2']);
  });

  it('remembers the latest twenty triggers only', async () => {
    for (let n = 0; n < 25; n++) {
      expect(await enter(store(), 'c-2', 'csat-survey', 1, `run-${n}`, 'always', now, `trigger-${n}`)).toBeUndefined();
      await leave(store(), 'c-2', 'csat-survey', `run-${n}`, 'completed', now);
    }
    const { triggers = [] } = (await readMembership(store(), 'c-2', 'csat-survey')) ?? {};
    expect(triggers).toHaveLength(20);
    expect(triggers[0]).toBe('trigger-5');
    expect(triggers.at(-1)).toBe('trigger-24');
  });

  it('lets launched runs (no trigger event) enter as the re-entry rule allows', async () => {
    expect(await enter(store(), 'c-3', 'win-back', 2, 'launch-a', 'always', now)).toBeUndefined();
    expect(await enter(store(), 'c-3', 'win-back', 2, 'launch-b', 'always', now)).toBe('already-active');
    expect(await enter(store(), 'c-3', 'win-back', 2, 'launch-a', 'always', now)).toBe('entered-before');
  });
});
