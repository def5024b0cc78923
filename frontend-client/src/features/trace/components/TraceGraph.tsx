/**
 * The trace as a layered graph on a 2D canvas (cytoscape, loaded by this component only, so
 * it lands in its own chunk). Positions come from the layered layout (a `preset` layout: no
 * cytoscape layout algorithm runs). Big traces draw without animation, with textures while
 * the viewport moves, edges hidden while it moves and labels only when zoomed in enough,
 * so 10,000 nodes keep every main-thread task short.
 */
import type { Core } from "cytoscape";
import { useEffect, useRef, useState } from "react";
import { type DrawnElements, drawnElements, traceElements } from "../elements";
import { BIG_GRAPH, graphStyle } from "../graph-style";
import { describedProperties, propertiesOf, type Trace, type TraceNode } from "../model";

declare global {
  interface Window {
    /** The drawn graph, for tests: set once drawn, removed on unmount. */
    __fgTraceElements?: () => DrawnElements;
  }
}

interface Hover {
  node: TraceNode;
  x: number;
  y: number;
}

const TOOLTIP_PROPERTIES = 8;

export function TraceGraph({
  trace,
  drawKey,
  selectedId,
  onSelect,
}: {
  trace: Trace;
  /** Changes exactly when the drawing must change (see model.fingerprint). */
  drawKey: string;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const latest = useRef({ trace, selectedId, onSelect });
  latest.current = { trace, selectedId, onSelect };
  const [drawn, setDrawn] = useState<"drawing" | "drawn" | "failed">("drawing");
  const [hover, setHover] = useState<Hover | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: drawKey stands for the trace
  useEffect(() => {
    let cancelled = false;
    let cy: Core | null = null;
    setDrawn("drawing");
    import("cytoscape")
      .then(({ default: cytoscape }) => {
        const container = containerRef.current;
        if (cancelled || !container) return;
        const current = latest.current.trace;
        const byId = new Map(current.nodes.map((n) => [n.id, n]));
        const aspect = container.clientWidth / Math.max(1, container.clientHeight);
        const elements = traceElements(current, aspect);
        const big = elements.length > BIG_GRAPH;
        const graph = cytoscape({
          container,
          style: graphStyle(big),
          layout: { name: "preset" },
          minZoom: 0.01,
          maxZoom: 4,
          boxSelectionEnabled: false,
          selectionType: "single",
          autoungrabify: true,
          motionBlur: false,
          textureOnViewport: big,
          hideEdgesOnViewport: big,
          pixelRatio: big ? 1 : "auto",
        });
        cy = graph;
        cyRef.current = graph;
        graph.batch(() => {
          graph.add(elements);
        });
        graph.fit(undefined, 24);
        const selected = latest.current.selectedId;
        if (selected) graph.getElementById(selected).select();
        graph.on("tap", "node", (event) => latest.current.onSelect(event.target.id() as string));
        graph.on("tap", (event) => {
          if (event.target === graph) latest.current.onSelect(null);
        });
        graph.on("mouseover", "node", (event) => {
          const node = byId.get(event.target.id() as string);
          if (node) setHover({ node, x: event.renderedPosition.x, y: event.renderedPosition.y });
        });
        graph.on("mouseout", "node", () => setHover(null));
        graph.on("viewport", () => setHover(null));
        graph.one("render", () => {
          if (cancelled) return;
          performance.mark("fg:trace-drawn");
          window.__fgTraceElements = () => drawnElements(graph);
          setDrawn("drawn");
        });
      })
      .catch(() => {
        if (!cancelled) setDrawn("failed");
      });
    return () => {
      cancelled = true;
      cy?.destroy();
      cyRef.current = null;
      delete window.__fgTraceElements;
      setHover(null);
    };
  }, [drawKey]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || drawn !== "drawn") return;
    cy.batch(() => {
      cy.elements(":selected").unselect();
      if (selectedId) cy.getElementById(selectedId).select();
    });
  }, [selectedId, drawn]);

  const width = containerRef.current?.clientWidth ?? 0;
  return (
    <div className="trace-graph-wrap">
      <div className="trace-graph-tools">
        <button
          type="button"
          className="secondary"
          onClick={() => cyRef.current?.fit(undefined, 24)}
        >
          Fit to view
        </button>
        <span className="muted" role="status">
          {drawn === "drawing"
            ? `Drawing ${trace.nodes.length.toLocaleString()} nodes…`
            : drawn === "failed"
              ? "The graph could not be drawn; the table view lists the same trace."
              : "Hover a node for its properties, click it to select it. The table view lists the same nodes."}
        </span>
      </div>
      <div className="trace-graph-stage">
        <div
          ref={containerRef}
          className="trace-graph"
          data-testid="trace-graph"
          data-node-count={trace.nodes.length}
          data-edge-count={trace.edges.length}
          data-drawn={drawn === "drawn" ? "true" : "false"}
          data-max-depth={trace.maxDepth}
          role="img"
          aria-label={`Genealogy graph: ${trace.nodes.length} nodes and ${trace.edges.length} edges, one column per depth, starts on the left`}
        />
        {hover && (
          <div
            className="trace-tooltip"
            role="tooltip"
            data-testid="trace-tooltip"
            style={{
              left: hover.x > width - 300 ? Math.max(0, hover.x - 290) : hover.x + 14,
              top: hover.y + 14,
            }}
          >
            <strong>{hover.node.id}</strong> <span>{hover.node.label}</span>
            <span> · depth {hover.node.depth}</span>
            <dl>
              {describedProperties(propertiesOf(hover.node))
                .slice(0, TOOLTIP_PROPERTIES)
                .map(([name, text]) => (
                  <div key={name}>
                    <dt>{name}</dt>
                    <dd>{text}</dd>
                  </div>
                ))}
            </dl>
          </div>
        )}
      </div>
    </div>
  );
}
