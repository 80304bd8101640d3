/**
 * A journey's steps as a graph: one node per step, in file order, with an edge to the step that
 * follows; branches, splits and waits for an event fork into their labelled paths and join again at
 * the next step. A start node (the trigger) and an end node close it.
 */
import type { JourneyDefinition, Step } from '#shared/journeys/definition.ts';

export type NodeKind = 'start' | 'end' | 'send' | 'wait' | 'waitForEvent' | 'branch' | 'split' | 'holdout' | 'updateProfile' | 'emit';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** The step's id (or start / end). */
  readonly title: string;
  /** What the step does, in the file's terms: the template sent, the wait, the condition. */
  readonly detail: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

export interface JourneyGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

interface Exit {
  readonly from: string;
  readonly label?: string;
}

function detailOf(step: Step): { kind: NodeKind; detail: string } {
  if ('send' in step) return { kind: 'send', detail: `${step.send.template} (${step.send.kind})` };
  if ('wait' in step) {
    const wait = step.wait;
    if ('for' in wait) return { kind: 'wait', detail: `wait ${wait.for}` };
    if ('until' in wait) return { kind: 'wait', detail: `wait until ${wait.until}` };
    return { kind: 'wait', detail: `wait until ${wait.untilAttribute}${wait.offset ?? ''}` };
  }
  if ('waitForEvent' in step) return { kind: 'waitForEvent', detail: `${step.waitForEvent.event} within ${step.waitForEvent.timeout}` };
  if ('branch' in step) return { kind: 'branch', detail: 'branch' };
  if ('split' in step) return { kind: 'split', detail: step.split.variants.map((variant) => `${variant.name} ${variant.percent}%`).join(' / ') };
  if ('holdout' in step) return { kind: 'holdout', detail: `holdout ${step.holdout.percent}%` };
  if ('updateProfile' in step) return { kind: 'updateProfile', detail: `set ${Object.keys(step.updateProfile.attributes).join(', ')}` };
  return { kind: 'emit', detail: step.emit.detailType };
}

/** The paths out of a forking step: each child list with its label, and a path straight on when a fork may do nothing. */
function forks(step: Step): { label: string; steps: readonly Step[] }[] {
  if ('branch' in step)
    return [
      { label: 'then', steps: step.branch.then },
      { label: 'else', steps: step.branch.else ?? [] },
    ];
  if ('split' in step) return step.split.variants.map((variant) => ({ label: variant.name, steps: variant.steps }));
  if ('waitForEvent' in step)
    return [
      { label: 'event', steps: step.waitForEvent.then ?? [] },
      { label: 'timeout', steps: step.waitForEvent.else ?? [] },
    ];
  return [];
}

export function journeyGraph(journey: JourneyDefinition, startDetail: string): JourneyGraph {
  const nodes: GraphNode[] = [{ id: '@start', kind: 'start', title: 'start', detail: startDetail }];
  const edges: GraphEdge[] = [];
  const connect = (exits: readonly Exit[], to: string) => {
    for (const exit of exits) edges.push({ from: exit.from, to, ...(exit.label && { label: exit.label }) });
  };
  const walk = (steps: readonly Step[], entering: readonly Exit[]): Exit[] => {
    let exits: Exit[] = [...entering];
    for (const step of steps) {
      nodes.push({ id: step.id, title: step.id, ...detailOf(step) });
      connect(exits, step.id);
      const paths = forks(step);
      exits = paths.length === 0 ? [{ from: step.id }] : paths.flatMap((path) => walk(path.steps, [{ from: step.id, label: path.label }]));
    }
    return exits;
  };
  const exits = walk(journey.steps, [{ from: '@start' }]);
  nodes.push({ id: '@end', kind: 'end', title: 'end', detail: journey.exit.goals.length > 0 ? `goals: ${journey.exit.goals.join(', ')}` : '' });
  connect(exits, '@end');
  return { nodes, edges };
}
