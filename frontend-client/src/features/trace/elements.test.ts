import { describe, expect, it } from "vitest";
import { traceElements } from "./elements";
import { nodeClasses } from "./graph-style";
import type { Trace } from "./model";

const trace: Trace = {
  startIds: ["B-2"],
  direction: "UPSTREAM",
  maxDepth: 20,
  nodeCount: 4,
  nodes: [
    { id: "B-2", label: "Batch", depth: 0, properties: { status: "completed" } },
    { id: "ML-1", label: "MaterialLot", depth: 1, properties: { status: "quarantine" } },
    { id: "ML-2", label: "MaterialLot", depth: 1, properties: { status: "rejected" } },
    { id: "X-1", label: "Gadget", depth: 2, properties: {} },
  ],
  edges: [
    { sourceId: "B-2", type: "CONSUMED", targetId: "ML-1", properties: {} },
    { sourceId: "B-2", type: "CONSUMED", targetId: "ML-2", properties: {} },
    { sourceId: "ML-2", type: "SUPPLIED_BY", targetId: "SUP-404", properties: {} },
  ],
};

describe("traceElements", () => {
  const elements = traceElements(trace);
  const nodes = elements.filter((e) => e.group === "nodes");
  const edges = elements.filter((e) => e.group === "edges");

  it("gives every node its layered position, depth and classes", () => {
    expect(nodes.map((n) => [n.data.id, n.data.depth, n.position?.x])).toEqual([
      ["B-2", 0, 0],
      ["ML-1", 1, 200],
      ["ML-2", 1, 200],
      ["X-1", 2, 400],
    ]);
    expect(nodes.map((n) => n.classes)).toEqual([
      "k-Batch start",
      "k-MaterialLot s-held",
      "k-MaterialLot s-rejected",
      "k-other",
    ]);
  });

  it("keeps the edges whose two ends are in the trace, in the graph's direction", () => {
    expect(edges.map((e) => [e.data.source, e.data.type, e.data.target])).toEqual([
      ["B-2", "CONSUMED", "ML-1"],
      ["B-2", "CONSUMED", "ML-2"],
    ]);
  });

  it("draws an id listed twice once", () => {
    const twice = {
      ...trace,
      nodes: [...trace.nodes, { ...(trace.nodes[0] as Trace["nodes"][number]) }],
    };
    expect(traceElements(twice).filter((e) => e.group === "nodes")).toHaveLength(4);
  });
});

describe("nodeClasses", () => {
  it("names the label, the status tone and the start", () => {
    expect(nodeClasses("Shipment", null, false)).toBe("k-Shipment");
    expect(nodeClasses("Batch", "rejected", true)).toBe("k-Batch s-rejected start");
  });
});
