import { describe, expect, it } from 'vitest';
import { JourneyDefinition } from '#shared/journeys/definition.ts';
import { after, into, stepAt } from '#shared/journeys/position.ts';
import { resolveRunPaths } from '#shared/journeys/run-path.ts';
import type { Run } from '#shared/journeys/run.ts';

const emit = (id: string) => ({ id, emit: { detailType: `journey.test.${id}` } });
const { steps } = JourneyDefinition.parse({
  name: 'positions',
  version: 1,
  description: 'Every kind of nesting.',
  trigger: { manual: true },
  steps: [
    emit('first'),
    { id: 'choose', branch: { if: { stage: 'buy' }, then: [emit('then-1'), emit('then-2')] } },
    {
      id: 'ab',
      split: {
        variants: [
          { name: 'A', percent: 50, steps: [emit('a-1')] },
          { name: 'B', percent: 50, steps: [{ id: 'look', waitForEvent: { event: 'order.placed', timeout: '1d', then: [emit('came')] } }] },
        ],
      },
    },
    emit('last'),
  ],
});

describe('a position in the steps', () => {
  it('names a step at the top and inside branches, variants and the outcomes of a wait', () => {
    expect(stepAt(steps, [0])?.id).toBe('first');
    expect(stepAt(steps, [1, 'then', 1])?.id).toBe('then-2');
    expect(stepAt(steps, [2, 'variant:B', 0, 'then', 0])?.id).toBe('came');
    expect(stepAt(steps, [4])).toBeUndefined();
  });

  it('goes on after the step that holds a nested list once the list is done, and ends after the last step', () => {
    expect(after(steps, [1, 'then', 0])).toEqual([1, 'then', 1]);
    expect(after(steps, [1, 'then', 1])).toEqual([2]);
    expect(after(steps, [2, 'variant:B', 0, 'then', 0])).toEqual([3]);
    expect(after(steps, [3])).toBeUndefined();
  });

  it('enters a nested list, or skips past the step when the list is empty or absent', () => {
    expect(into(steps, [1], 'then')).toEqual([1, 'then', 0]);
    expect(into(steps, [1], 'else')).toEqual([2]);
    expect(into(steps, [2], 'variant:A')).toEqual([2, 'variant:A', 0]);
    expect(into(steps, [2, 'variant:B', 0], 'else')).toEqual([3]);
  });
});

describe('paths into a run', () => {
  const run: Run = {
    journey: 'cart-recovery',
    version: 3,
    runId: 'r-1',
    customerId: 'c-1',
    enteredAt: '2026-11-23T01:00:00.000Z',
    holdout: false,
    variant: 'B',
    trigger: {
      detailType: 'cart.updated',
      eventId: 'e-1',
      data: {
        total: 58,
        items: [
          { productId: 'p-lamp', quantity: 1 },
          { productId: 'p-bulb', quantity: 2 },
        ],
      },
    },
  };

  it('reads names, indexes and every item of a list, deep inside the values it is given', () => {
    expect(resolveRunPaths({ cart: '$.trigger.data', variant: '$.variant', kept: 'plain', n: 3 }, run)).toEqual({
      cart: run.trigger?.data,
      variant: 'B',
      kept: 'plain',
      n: 3,
    });
    expect(resolveRunPaths({ basedOn: '$.trigger.data.items[*].productId', first: '$.trigger.data.items[1].quantity' }, run)).toEqual({
      basedOn: ['p-lamp', 'p-bulb'],
      first: 2,
    });
    expect(resolveRunPaths(['$.trigger.detailType', '$.nothing.here'], run)).toEqual(['cart.updated', undefined]);
  });
});
