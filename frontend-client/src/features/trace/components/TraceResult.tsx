/** One trace answer: totals, the cut banner, the graph or the table, and the selected node. */
import { useMemo } from "react";
import { download } from "../../../lib/csv";
import {
  type Cut,
  type Direction,
  depthCounts,
  edgesCsv,
  fileSafe,
  labelCounts,
  nodesCsv,
  type SortKey,
  sortNodes,
  type Trace,
  type TraceView,
  type ViewMode,
} from "../model";
import { NodePanel } from "./NodePanel";
import { TraceGraph } from "./TraceGraph";
import { CutBanner, DepthCounts, LabelLegend } from "./TraceSummary";
import { TraceTable } from "./TraceTable";

export interface TraceActions {
  trace: (id: string) => void;
  direction: (dir: Direction) => void;
  depth: (depth: number | null) => void;
  select: (id: string | null) => void;
  view: (mode: ViewMode) => void;
  sort: (sort: SortKey) => void;
}

export function TraceResult({
  searched,
  trace,
  drawKey,
  cut,
  view,
  refreshing,
  actions,
}: {
  searched: string;
  trace: Trace;
  drawKey: string;
  cut: Cut;
  view: TraceView;
  refreshing: boolean;
  actions: TraceActions;
}) {
  const byDepth = useMemo(() => depthCounts(trace.nodes), [trace]);
  const byLabel = useMemo(() => labelCounts(trace.nodes), [trace]);
  const byId = useMemo(() => new Map(trace.nodes.map((n) => [n.id, n])), [trace]);
  const sorted = useMemo(
    () => (view.view === "table" ? sortNodes(trace.nodes, view.sort) : []),
    [trace, view.view, view.sort],
  );
  const selected = view.node ? byId.get(view.node) : undefined;
  const way = trace.direction === "UPSTREAM" ? "Upstream" : "Downstream";
  const file = `trace-${fileSafe(searched)}-${view.dir}`;
  const starts = trace.startIds.join(", ");
  const alone = trace.nodes.length <= trace.startIds.length && trace.edges.length === 0;

  return (
    <section className="trace-result" aria-labelledby="trace-result-title" aria-busy={refreshing}>
      <div className="trace-section-head">
        <h2 id="trace-result-title">
          {way} of {searched}
        </h2>
        <fieldset className="trace-view-toggle">
          <legend className="visually-hidden">View</legend>
          {(["graph", "table"] as const).map((mode) => (
            <button
              key={mode}
              type="button"
              className={view.view === mode ? undefined : "secondary"}
              aria-pressed={view.view === mode}
              onClick={() => actions.view(mode)}
            >
              {mode === "graph" ? "Graph" : "Table"}
            </button>
          ))}
        </fieldset>
        <div className="trace-exports">
          <button
            type="button"
            className="secondary"
            onClick={() => download(`${file}-nodes.csv`, nodesCsv(trace))}
          >
            Export nodes (CSV)
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => download(`${file}-edges.csv`, edgesCsv(trace))}
          >
            Export edges (CSV)
          </button>
        </div>
      </div>
      <p
        data-testid="trace-summary"
        data-node-count={trace.nodes.length}
        data-edge-count={trace.edges.length}
        data-max-depth={trace.maxDepth}
      >
        <strong>{trace.nodes.length.toLocaleString()}</strong> nodes,{" "}
        <strong>{trace.edges.length.toLocaleString()}</strong> edges, to depth {trace.maxDepth}
        {searched !== starts && <> · starts: {starts}</>}
      </p>
      <DepthCounts counts={byDepth} />
      <LabelLegend counts={byLabel} />
      <CutBanner cut={cut} onDeeper={actions.depth} />
      {alone && (
        <p className="state state-empty" data-testid="trace-alone">
          Nothing {trace.direction === "UPSTREAM" ? "upstream" : "downstream"} of {starts}
          {trace.direction === "UPSTREAM"
            ? ": it consumed nothing recorded."
            : ": nothing consumed it or shipped it yet."}
        </p>
      )}
      <div className="trace-main">
        <div className="trace-view">
          {view.view === "graph" ? (
            <TraceGraph
              trace={trace}
              drawKey={drawKey}
              selectedId={view.node}
              onSelect={actions.select}
            />
          ) : (
            <TraceTable
              nodes={sorted}
              sort={view.sort}
              onSort={actions.sort}
              selectedId={view.node}
              onSelect={actions.select}
              caption={`${way} trace of ${searched}: ${trace.nodes.length} nodes`}
            />
          )}
        </div>
        <NodePanel
          node={selected}
          missingId={selected ? null : view.node}
          trace={trace}
          onSelect={actions.select}
        />
      </div>
    </section>
  );
}
