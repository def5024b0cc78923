import { describe, expect, it } from "vitest";
import {
  cutOf,
  depthCounts,
  edgesCsv,
  fileSafe,
  fingerprint,
  frontier,
  keyProperties,
  needsReachCheck,
  nodesCsv,
  parseDepth,
  readView,
  recallCsv,
  sortNodes,
  statusOf,
  statusTone,
  type Trace,
  type TraceNode,
} from "./model";

const node = (id: string, label: string, depth: number, properties: object = {}): TraceNode => ({
  id,
  label,
  depth,
  properties: { id, ...properties },
});

const trace: Trace = {
  startIds: ["B-2"],
  direction: "UPSTREAM",
  maxDepth: 2,
  nodeCount: 5,
  nodes: [
    node("B-2", "Batch", 0, { status: "completed", quantity: 12.5, unit: "kg" }),
    node("B-1", "Batch", 1, { status: "on_hold" }),
    node("ML-1", "MaterialLot", 1, { status: "rejected", supplier_lot: "S,1" }),
    node("ML-2", "MaterialLot", 2, { status: "consumed" }),
    node("SUP-1", "Supplier", 2, { name: "Acme" }),
  ],
  edges: [
    { sourceId: "B-2", type: "CONSUMED", targetId: "B-1", properties: { qty: 3, unit: "kg" } },
    { sourceId: "B-2", type: "CONSUMED", targetId: "ML-1", properties: { qty: 1, unit: "kg" } },
    { sourceId: "B-1", type: "CONSUMED", targetId: "ML-2", properties: {} },
    { sourceId: "ML-1", type: "SUPPLIED_BY", targetId: "SUP-1", properties: {} },
  ],
};

describe("view state", () => {
  it("reads the URL with defaults", () => {
    expect(readView(new URLSearchParams(""))).toEqual({
      id: "",
      dir: "down",
      depth: null,
      view: "graph",
      node: null,
      sort: "depth",
    });
    expect(
      readView(new URLSearchParams("id=%20ML-1%20&dir=up&depth=3&view=table&node=B-1&sort=-label")),
    ).toEqual({ id: "ML-1", dir: "up", depth: 3, view: "table", node: "B-1", sort: "-label" });
  });

  it("accepts depths 1..25 only", () => {
    expect([parseDepth("1"), parseDepth("25"), parseDepth(" 7 ")]).toEqual([1, 25, 7]);
    for (const bad of ["0", "26", "-1", "2.5", "x", "", null]) expect(parseDepth(bad)).toBeNull();
  });
});

describe("counts and cuts", () => {
  it("counts nodes per depth", () => {
    expect(depthCounts(trace.nodes)).toEqual([
      { depth: 0, count: 1 },
      { depth: 1, count: 2 },
      { depth: 2, count: 2 },
    ]);
  });

  it("counts genealogy nodes at maxDepth only", () => {
    expect(frontier(trace)).toBe(1);
    expect(frontier({ ...trace, maxDepth: 3 })).toBe(0);
  });

  it("asks one level deeper only when genealogy reaches maxDepth below the API's limit", () => {
    expect(needsReachCheck(trace)).toBe(true);
    expect(needsReachCheck({ ...trace, maxDepth: 3 })).toBe(false);
    expect(needsReachCheck({ ...trace, maxDepth: 25, nodes: [node("B", "Batch", 25)] })).toBe(
      false,
    );
  });

  it("calls a trace cut when one level deeper reaches more nodes", () => {
    expect(cutOf(trace, undefined)).toEqual({ kind: "checking" });
    expect(cutOf(trace, { nodeCount: 5 })).toEqual({ kind: "none" });
    expect(cutOf(trace, { nodeCount: 9 })).toEqual({ kind: "cut", depth: 2 });
    expect(cutOf({ ...trace, maxDepth: 3 }, undefined)).toEqual({ kind: "none" });
    const atLimit = { ...trace, maxDepth: 25, nodes: [node("B", "Batch", 25)] };
    expect(cutOf(atLimit, undefined)).toEqual({ kind: "limit", depth: 25 });
  });
});

describe("statuses and properties", () => {
  it("marks rejected and held statuses", () => {
    expect(trace.nodes.map((n) => statusTone(statusOf(n)))).toEqual([
      null,
      "held",
      "rejected",
      null,
      null,
    ]);
    expect(statusTone("quarantine")).toBe("held");
    expect(statusOf(node("X", "Customer", 1))).toBeNull();
  });

  it("picks key properties without id or status, quantities with their unit", () => {
    expect(keyProperties(trace.nodes[0] as TraceNode)).toEqual([["quantity", "12.5 kg"]]);
    expect(keyProperties(trace.nodes[2] as TraceNode)).toEqual([["supplier lot", "S,1"]]);
  });

  it("formats epoch milliseconds of time-like keys as instants", () => {
    const shipped = node("SH-1", "Shipment", 3, { shipped_at: 1762428013031 });
    const [[name, text] = []] = keyProperties(shipped);
    expect(name).toBe("shipped at");
    expect(text).toMatch(/2025/);
  });
});

describe("sorting", () => {
  it("sorts by depth or label, either way, ties by the other then id", () => {
    const ids = (sort: Parameters<typeof sortNodes>[1]) =>
      sortNodes(trace.nodes, sort).map((n) => n.id);
    expect(ids("depth")).toEqual(["B-2", "B-1", "ML-1", "ML-2", "SUP-1"]);
    expect(ids("-depth")).toEqual(["ML-2", "SUP-1", "B-1", "ML-1", "B-2"]);
    expect(ids("label")).toEqual(["B-2", "B-1", "ML-1", "ML-2", "SUP-1"]);
    expect(ids("-label")).toEqual(["SUP-1", "ML-1", "ML-2", "B-2", "B-1"]);
  });
});

describe("fingerprint", () => {
  it("is the same for an equal answer and differs when a node or status changes", () => {
    const copy = JSON.parse(JSON.stringify(trace)) as Trace;
    expect(fingerprint(copy)).toBe(fingerprint(trace));
    const changed = { ...copy, nodes: [...copy.nodes, node("ML-9", "MaterialLot", 2)] };
    expect(fingerprint(changed)).not.toBe(fingerprint(trace));
    const restatused = JSON.parse(JSON.stringify(trace)) as Trace;
    (restatused.nodes[0] as { properties: { status: string } }).properties.status = "rejected";
    expect(fingerprint(restatused)).not.toBe(fingerprint(trace));
  });
});

describe("CSV", () => {
  it("writes one row per node and per edge", () => {
    const nodes = nodesCsv(trace).trimEnd().split("\r\n");
    expect(nodes[0]).toBe("id,label,depth,status,properties");
    expect(nodes).toHaveLength(6);
    expect(nodes[3]).toMatch(/^ML-1,MaterialLot,1,rejected,"\{""id"":""ML-1""/);
    const edges = edgesCsv(trace).trimEnd().split("\r\n");
    expect(edges[0]).toBe("source,type,target,properties");
    expect(edges[1]).toBe('B-2,CONSUMED,B-1,"{""qty"":3,""unit"":""kg""}"');
    expect(edges).toHaveLength(5);
  });

  it("writes the recall scope as kind and id", () => {
    const csv = recallCsv({
      lotIds: ["ML-1"],
      batches: ["B-1", "B-2"],
      finishedBatches: ["B-2"],
      shipments: ["SH-1"],
      customers: ["C-1"],
      openSalesOrders: [],
      workOrders: ["WO-1"],
    });
    expect(csv.trimEnd().split("\r\n")).toEqual([
      "kind,id",
      "finished_batch,B-2",
      "shipment,SH-1",
      "customer,C-1",
      "work_order,WO-1",
      "batch,B-1",
      "batch,B-2",
      "lot,ML-1",
    ]);
  });

  it("makes file names from ids", () => {
    expect(fileSafe("L25298/1469 x")).toBe("L25298_1469_x");
  });
});
