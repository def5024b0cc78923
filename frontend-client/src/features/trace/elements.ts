/**
 * Cytoscape element definitions of a trace, positioned by the layered layout, and the drawn
 * elements as tests read them back (window.__fgTraceElements).
 */
import type { Core, ElementDefinition } from "cytoscape";
import { nodeClasses } from "./graph-style";
import { gapsFor, layeredLayout } from "./layout";
import { statusOf, statusTone, type Trace } from "./model";

/** `aspect`: the drawing area's width / height. */
export function traceElements(trace: Trace, aspect = 2): ElementDefinition[] {
  const positions = layeredLayout(trace.nodes, gapsFor(trace.nodes, aspect));
  const starts = new Set(trace.startIds);
  const elements: ElementDefinition[] = [];
  for (const node of trace.nodes) {
    const position = positions.get(node.id);
    if (!position) continue;
    positions.delete(node.id); // an id listed twice is drawn once
    elements.push({
      group: "nodes",
      data: { id: node.id, label: node.label, depth: node.depth },
      position,
      classes: nodeClasses(node.label, statusTone(statusOf(node)), starts.has(node.id)),
    });
  }
  const known = new Set(trace.nodes.map((n) => n.id));
  trace.edges.forEach((edge, i) => {
    // an edge to a node the answer lacks would make cytoscape throw: leave it out
    if (!known.has(edge.sourceId) || !known.has(edge.targetId)) return;
    elements.push({
      group: "edges",
      data: { id: `e${i}`, source: edge.sourceId, target: edge.targetId, type: edge.type },
    });
  });
  return elements;
}

export interface DrawnElements {
  nodes: Array<{ id: string; depth: number; x: number; y: number }>;
  edges: Array<{ source: string; target: string; type: string }>;
}

export function drawnElements(cy: Core): DrawnElements {
  if (cy.destroyed()) return { nodes: [], edges: [] };
  return {
    nodes: cy.nodes().map((n) => {
      const { x, y } = n.position();
      return { id: n.id(), depth: n.data("depth") as number, x, y };
    }),
    edges: cy.edges().map((e) => ({
      source: e.data("source") as string,
      target: e.data("target") as string,
      type: e.data("type") as string,
    })),
  };
}
