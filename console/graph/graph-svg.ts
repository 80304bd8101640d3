/**
 * Draws a journey graph as SVG on the server: dagre lays it out top to bottom, each node a box with
 * its title, what it does and its counts, each edge a line with its label.
 */
import dagre from '@dagrejs/dagre';
import type { VNode } from 'preact';
import { html } from '../html.ts';
import type { JourneyGraph } from './journey-graph.ts';

const NODE_WIDTH = 230;
const LINE_HEIGHT = 16;
const PADDING = 10;

/** Lines a node shows under its title: what it does, then its counts. */
export type NodeLines = ReadonlyMap<string, readonly string[]>;

export function graphSvg(graph: JourneyGraph, lines: NodeLines, title: string): VNode {
  const layout = new dagre.graphlib.Graph();
  layout.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 8, marginy: 8 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const count = 1 + (lines.get(node.id)?.length ?? 0);
    layout.setNode(node.id, { width: NODE_WIDTH, height: PADDING * 2 + count * LINE_HEIGHT });
  }
  for (const edge of graph.edges) layout.setEdge(edge.from, edge.to, edge.label ? { label: edge.label, width: edge.label.length * 7, height: 14 } : {});
  dagre.layout(layout);
  const { width = 0, height = 0 } = layout.graph();
  const kinds = new Map(graph.nodes.map((node) => [node.id, node]));
  return html`
    <svg class="journey-graph" viewBox=${`0 0 ${width} ${height}`} width=${width} height=${height} role="img" aria-labelledby="graph-title">
      <title id="graph-title">${title}</title>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" /></marker>
      </defs>
      ${layout.edges().map((key: { v: string; w: string }) => {
        const edge = layout.edge(key);
        const points = edge.points ?? [];
        const label = graph.edges.find((each) => each.from === key.v && each.to === key.w)?.label;
        return html`<g class="edge">
          <polyline points=${points.map((point: { x: number; y: number }) => `${point.x},${point.y}`).join(' ')} marker-end="url(#arrow)" />
          ${label && edge.x !== undefined ? html`<text x=${edge.x} y=${(edge.y ?? 0) + 4} text-anchor="middle">${label}</text>` : null}
        </g>`;
      })}
      ${layout.nodes().map((id: string) => {
        const box = layout.node(id);
        const node = kinds.get(id);
        const left = box.x - box.width / 2;
        const top = box.y - box.height / 2;
        return html`<g class=${`node node-${node?.kind ?? 'step'}`} data-step=${node?.title}>
          <rect x=${left} y=${top} width=${box.width} height=${box.height} rx="6" />
          <text x=${left + PADDING} y=${top + PADDING + 12} class="node-title">${node?.title}</text>
          ${(lines.get(id) ?? []).map((line, index) => html`<text x=${left + PADDING} y=${top + PADDING + 12 + (index + 1) * LINE_HEIGHT}>${line}</text>`)}
        </g>`;
      })}
    </svg>
  `;
}
