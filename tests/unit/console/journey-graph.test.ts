import { describe, expect, it } from 'vitest';
import { journeyGraph } from '#console/graph/journey-graph.ts';
import { JourneyDefinition } from '#shared/journeys/definition.ts';

const journey = JourneyDefinition.parse({
  name: 'graph-check',
  version: 1,
  description: 'A send, a branch with one path, a split, and a send after they join.',
  trigger: { manual: true },
  exit: { goals: ['order.placed'] },
  steps: [
    { id: 'hello', send: { template: 'welcome', kind: 'marketing' } },
    { id: 'clicked', branch: { if: { event: 'email.clicked' }, then: [{ id: 'tag', updateProfile: { attributes: { warm: true } } }] } },
    {
      id: 'ab',
      split: {
        variants: [
          { name: 'A', percent: 50, steps: [{ id: 'a-wait', wait: { for: '1d' } }] },
          { name: 'B', percent: 50, steps: [{ id: 'b-wait', wait: { for: '2d' } }] },
        ],
      },
    },
    { id: 'bye', send: { template: 'welcome-tips', kind: 'marketing' } },
  ],
});

describe('journey graph', () => {
  it('has a node per step between a start and an end, each send with its template', () => {
    const graph = journeyGraph(journey, 'manual launch');

    expect(graph.nodes.map((node) => node.id)).toEqual(['@start', 'hello', 'clicked', 'tag', 'ab', 'a-wait', 'b-wait', 'bye', '@end']);
    expect(graph.nodes.find((node) => node.id === 'hello')).toMatchObject({ kind: 'send', detail: 'welcome (marketing)' });
    expect(graph.nodes.find((node) => node.id === '@end')?.detail).toBe('goals: order.placed');
  });

  it('forks at a branch and a split with labelled edges, and joins at the next step', () => {
    const edges = journeyGraph(journey, 'manual launch').edges.map((edge) => `${edge.from}->${edge.to}${edge.label ? `:${edge.label}` : ''}`);

    expect(edges).toEqual([
      '@start->hello',
      'hello->clicked',
      'clicked->tag:then',
      // A branch without an else goes straight on.
      'tag->ab',
      'clicked->ab:else',
      'ab->a-wait:A',
      'ab->b-wait:B',
      'a-wait->bye',
      'b-wait->bye',
      'bye->@end',
    ]);
  });
});
