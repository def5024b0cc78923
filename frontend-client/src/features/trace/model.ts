/**
 * The trace explorer's view state and what it derives from a trace answer: counts per depth,
 * whether the trace was cut, statuses, the properties worth a column, sorting and CSV.
 * Pure functions of plain data, so they are tested without a browser or a service.
 */
import type { RecallScopeQuery, TraceDirection, TraceQuery } from "../../gql/graphql";
import { toCsv } from "../../lib/csv";
import { formatInstant, formatNumber } from "../../lib/time";

export type Trace = TraceQuery["trace"];
export type TraceNode = Trace["nodes"][number];
export type TraceEdge = Trace["edges"][number];
export type RecallScope = RecallScopeQuery["recallScope"];

/** The deepest trace the API answers (resolvers/api.py MAX_TRACE_DEPTH). */
export const MAX_DEPTH_LIMIT = 25;
/** Labels the genealogy walk expands; the commercial ends around them are leaves. */
export const GENEALOGY_LABELS: ReadonlySet<string> = new Set(["MaterialLot", "Batch"]);

export type Direction = "up" | "down";
export type ViewMode = "graph" | "table";
export type SortKey = "depth" | "-depth" | "label" | "-label";

export interface TraceView {
  /** A lot id, batch id or supplier lot number ("" when none is asked for). */
  id: string;
  dir: Direction;
  /** null: the API's default depth. */
  depth: number | null;
  view: ViewMode;
  node: string | null;
  sort: SortKey;
}

/** An integer 1..MAX_DEPTH_LIMIT, else null. */
export function parseDepth(text: string | null | undefined): number | null {
  if (!text || !/^\d+$/.test(text.trim())) return null;
  const depth = Number(text);
  return depth >= 1 && depth <= MAX_DEPTH_LIMIT ? depth : null;
}

export function readView(params: URLSearchParams): TraceView {
  const sort = params.get("sort");
  return {
    id: params.get("id")?.trim() ?? "",
    dir: params.get("dir") === "up" ? "up" : "down",
    depth: parseDepth(params.get("depth")),
    view: params.get("view") === "table" ? "table" : "graph",
    node: params.get("node") || null,
    sort: sort === "-depth" || sort === "label" || sort === "-label" ? sort : "depth",
  };
}

export function apiDirection(dir: Direction): TraceDirection {
  return dir === "up" ? "UPSTREAM" : "DOWNSTREAM";
}

/** A node's (or edge's) properties as a record; the API sends any JSON. */
export function propertiesOf(item: { properties: unknown }): Record<string, unknown> {
  const p = item.properties;
  return p && typeof p === "object" && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/** The node's status as the graph stores it (lower case), or null. */
export function statusOf(node: TraceNode): string | null {
  const status = propertiesOf(node).status;
  return typeof status === "string" && status ? status.toLowerCase() : null;
}

export type StatusTone = "rejected" | "held";

/** Statuses the trace marks: rejected ones, and ones held back from use. */
export function statusTone(status: string | null): StatusTone | null {
  if (!status) return null;
  if (/reject|scrap|recall/.test(status)) return "rejected";
  if (/hold|held|quarantine|block/.test(status)) return "held";
  return null;
}

export function statusText(status: string | null): string {
  return status ? status.replaceAll("_", " ") : "–";
}

export function depthCounts(nodes: readonly TraceNode[]): Array<{ depth: number; count: number }> {
  const counts = new Map<number, number>();
  for (const node of nodes) counts.set(node.depth, (counts.get(node.depth) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([depth, count]) => ({ depth, count }));
}

export function labelCounts(nodes: readonly TraceNode[]): Array<{ label: string; count: number }> {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.label, (counts.get(node.label) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([label, count]) => ({ label, count }));
}

/** Genealogy nodes at the trace's last level: the walk stopped there, so it may go on. */
export function frontier(trace: Pick<Trace, "nodes" | "maxDepth">): number {
  let count = 0;
  for (const node of trace.nodes) {
    if (node.depth === trace.maxDepth && GENEALOGY_LABELS.has(node.label)) count++;
  }
  return count;
}

/** Whether to ask the API for the same trace one level deeper to learn if this one was cut. */
export function needsReachCheck(trace: Pick<Trace, "nodes" | "maxDepth">): boolean {
  return trace.maxDepth < MAX_DEPTH_LIMIT && frontier(trace) > 0;
}

export type Cut =
  | { kind: "none" }
  | { kind: "checking" }
  | { kind: "cut"; depth: number }
  /** Nodes at the API's own depth limit: whether more lies beyond cannot be asked. */
  | { kind: "limit"; depth: number };

/**
 * Was the trace cut by its maxDepth? Nodes of a deeper trace are a superset, and a trace one
 * level deeper has new nodes exactly when some genealogy node at maxDepth leads further (the
 * commercial ends of every reached node are already in), so its node count tells.
 */
export function cutOf(
  trace: Pick<Trace, "nodes" | "maxDepth" | "nodeCount">,
  deeper: { nodeCount: number } | null | undefined,
): Cut {
  if (frontier(trace) === 0) return { kind: "none" };
  if (trace.maxDepth >= MAX_DEPTH_LIMIT) return { kind: "limit", depth: trace.maxDepth };
  if (!deeper) return { kind: "checking" };
  return deeper.nodeCount > trace.nodeCount
    ? { kind: "cut", depth: trace.maxDepth }
    : { kind: "none" };
}

const TIME_KEY = /(_at|_start|_end|_date|^date|^time)$/;
const PREFERRED = [
  "supplier_lot",
  "name",
  "quantity",
  "initial_quantity",
  "completed_at",
  "started_at",
  "shipped_at",
  "received_at",
  "due_date",
  "planned_start",
];
const NOT_KEY = new Set(["id", "status", "unit"]);

/** A property's value as text: epoch milliseconds of time-like keys as instants. */
export function formatProperty(key: string, value: unknown, unit?: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (typeof value === "number") {
    if (TIME_KEY.test(key) && value > 1e11) return formatInstant(new Date(value).toISOString());
    const text = formatNumber(value, 3);
    return /quantity|qty/.test(key) && typeof unit === "string" && unit ? `${text} ${unit}` : text;
  }
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Every property but the id, as [name, text], the telling ones first. */
export function describedProperties(properties: Record<string, unknown>): Array<[string, string]> {
  const keys = Object.keys(properties).filter((k) => k !== "id" && k !== "unit");
  const rank = (k: string) => {
    const i = PREFERRED.indexOf(k);
    return k === "status" ? -1 : i === -1 ? PREFERRED.length : i;
  };
  keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => [
    k.replaceAll("_", " "),
    formatProperty(k, properties[k], properties.unit),
  ]);
}

/** Up to `count` properties for the table's "key properties" column (no id or status). */
export function keyProperties(node: TraceNode, count = 3): Array<[string, string]> {
  const properties = propertiesOf(node);
  return describedProperties(properties)
    .filter(([name]) => !NOT_KEY.has(name))
    .slice(0, count);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortNodes(nodes: readonly TraceNode[], sort: SortKey): TraceNode[] {
  const sign = sort.startsWith("-") ? -1 : 1;
  const byDepth = (a: TraceNode, b: TraceNode) => a.depth - b.depth;
  const byLabel = (a: TraceNode, b: TraceNode) => compare(a.label, b.label);
  const [first, second] = sort.endsWith("depth") ? [byDepth, byLabel] : [byLabel, byDepth];
  return [...nodes].sort((a, b) => sign * first(a, b) || second(a, b) || compare(a.id, b.id));
}

/**
 * A cheap identity of what the graph draws: a refetch that answers the same trace (as
 * cache-and-network does) must not redraw 10,000 nodes.
 */
export function fingerprint(trace: Trace): string {
  const parts: string[] = [trace.direction, String(trace.maxDepth)];
  for (const n of trace.nodes) parts.push(`${n.id}\u0001${n.depth}\u0001${statusOf(n) ?? ""}`);
  parts.push("\u0002");
  for (const e of trace.edges) parts.push(`${e.sourceId}\u0001${e.type}\u0001${e.targetId}`);
  return parts.join("\u0000");
}

export const NODE_CSV_HEADER = ["id", "label", "depth", "status", "properties"] as const;
export const EDGE_CSV_HEADER = ["source", "type", "target", "properties"] as const;
export const RECALL_CSV_HEADER = ["kind", "id"] as const;

export function nodesCsv(trace: Trace): string {
  return toCsv(
    NODE_CSV_HEADER,
    trace.nodes.map((n) => [n.id, n.label, n.depth, statusOf(n), propertiesOf(n)]),
  );
}

export function edgesCsv(trace: Trace): string {
  return toCsv(
    EDGE_CSV_HEADER,
    trace.edges.map((e) => [e.sourceId, e.type, e.targetId, propertiesOf(e)]),
  );
}

/** The recall scope's parts, each with the label of its objects' pages, in reading order. */
export const RECALL_PARTS = [
  { key: "finishedBatches", kind: "finished_batch", label: "Batch", title: "Finished batches" },
  { key: "shipments", kind: "shipment", label: "Shipment", title: "Shipments" },
  { key: "customers", kind: "customer", label: "Customer", title: "Customers" },
  {
    key: "openSalesOrders",
    kind: "open_sales_order",
    label: "SalesOrder",
    title: "Open sales orders",
  },
  { key: "workOrders", kind: "work_order", label: "WorkOrder", title: "Work orders" },
  { key: "batches", kind: "batch", label: "Batch", title: "All batches" },
  { key: "lotIds", kind: "lot", label: "MaterialLot", title: "Lots" },
] as const satisfies ReadonlyArray<{
  key: keyof Omit<RecallScope, "__typename">;
  kind: string;
  label: string;
  title: string;
}>;

export function recallCsv(scope: RecallScope): string {
  const rows: Array<[string, string]> = [];
  for (const part of RECALL_PARTS) for (const id of scope[part.key]) rows.push([part.kind, id]);
  return toCsv(RECALL_CSV_HEADER, rows);
}

/** A file name part from a user's id: letters, digits, dot, dash and underscore only. */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60) || "trace";
}
