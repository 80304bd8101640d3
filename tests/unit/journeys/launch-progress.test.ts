import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { JourneyDefinition } from '#shared/journeys/definition.ts';
import { launchJourney } from '#shared/journeys/launch.ts';
import { percentDone } from '#shared/journeys/launch-progress.ts';

/** A store that knows no customer and keeps every update it is sent. */
function emptyStore() {
  const updates: Record<string, unknown>[] = [];
  const ddb = {
    send: async (command: unknown) => {
      if (command instanceof UpdateCommand) updates.push(command.input as Record<string, unknown>);
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { ddb, updates };
}

/** The values an update sets, by attribute name. */
function valuesSet(update: Record<string, unknown>): Record<string, unknown> {
  const names = update.ExpressionAttributeNames as Record<string, string>;
  const values = update.ExpressionAttributeValues as Record<string, unknown>;
  return Object.fromEntries(Object.entries(names).map(([alias, name]) => [name, values[`:${alias.slice(1)}`]]));
}

const journey = { name: 'win-back', entry: { reentry: 'never' } } as unknown as JourneyDefinition;

describe('a launch writes its progress as it goes', () => {
  it('writes before the first customer, before each fiftieth, and once at the end, under the launch id', async () => {
    const { ddb, updates } = emptyStore();
    const customerIds = Array.from({ length: 120 }, (_, n) => `nobody-${n}`);

    await launchJourney(
      {
        ddb,
        tableName: 'profiles',
        now: () => Date.parse('2027-03-01T09:00:00Z'),
        consentMode: 'opt-in',
        start: () => Promise.reject(new Error('nobody enters')),
      },
      { journey, launchId: 'l-1', audience: { customerIds } },
    );

    const progress = updates.filter((update) => (update.Key as { sk: string }).sk === 'LAUNCH#l-1').map(valuesSet);
    expect(progress.map((each) => [each.considered, each.done])).toEqual([
      [0, false],
      [50, false],
      [100, false],
      [120, true],
    ]);
    expect(progress.at(-1)).toMatchObject({ total: 120, ineligible: 120, started: 0, kind: 'launch-progress' });
  });

  it('writes nothing for a dry run', async () => {
    const { ddb, updates } = emptyStore();

    await launchJourney(
      { ddb, tableName: 'profiles', now: () => 0, consentMode: 'opt-in', start: () => Promise.reject(new Error('a dry run starts nothing')) },
      { journey, launchId: 'l-2', audience: { customerIds: ['a', 'b'] }, dryRun: true },
    );

    expect(updates).toEqual([]);
  });
});

describe('the share of a launch done', () => {
  it('is the share considered of the total, 100 only once done, and unknown without a total', () => {
    expect(percentDone({ considered: 50, total: 200, done: false })).toBe(25);
    expect(percentDone({ considered: 210, total: 200, done: false })).toBe(99);
    expect(percentDone({ considered: 3, total: 3, done: true })).toBe(100);
    expect(percentDone({ considered: 7, done: false })).toBeUndefined();
    expect(percentDone({ considered: 7, done: true })).toBe(100);
  });
});
