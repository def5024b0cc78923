/**
 * The trace as a layered graph on a 2D canvas (cytoscape, loaded by this component only, so
 * it lands in its own chunk). Positions come from the layered layout (a `preset` layout: no
 * cytoscape layout algorithm runs). Big traces draw without animation, with textures while
 * the viewport moves, edges hidden while it moves and labels only when zoomed in enough,
 * so 10,000 nodes keep every main-thread task short.
 */
import type { Core, ElementDefinition } from "cytoscape";
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
const FIT_PADDING = 24;
/** A small trace is not blown up beyond this zoom when fitted. */
const MAX_FIT_ZOOM = 1.25;
/** Big graphs label the nodes in view from this zoom on (10 px labels read at 8 px). */
const LABEL_ZOOM = 0.8;
/** At most this many labels at once; more would not be readable anyway. */
const MAX_LABELS = 800;
/** Elements a big graph adds in its first frame; later parts are sized to FRAME_BUDGET_MS. */
const FIRST_PART = 1_000;
const MIN_PART = 250;
const MAX_PART = 5_000;
const FRAME_BUDGET_MS = 120;

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * Add a big graph's elements by parts, one batch per frame, while the viewport looks away
 * from them. Cytoscape styles and measures new elements in the frame after they are added
 * (about 0.1 ms each on a busy 2-core machine, seconds for 25,000 elements), and the frame
 * would also redraw all elements added so far; looking away culls the drawing, so each
 * frame costs what its part costs, and the first frame that looks at the graph (the caller
 * fits the viewport afterwards) only draws (about 200 ms for 10,000 nodes and 15,000 edges).
 */
async function addByParts(cy: Core, elements: ElementDefinition[], cancelled: () => boolean) {
  cy.viewport({ zoom: 1, pan: { x: -1e9, y: -1e9 } });
  let part = FIRST_PART;
  for (let start = 0; start < elements.length; ) {
    const began = performance.now();
    const slice = elements.slice(start, start + part);
    cy.batch(() => {
      cy.add(slice);
    });
    start += slice.length;
    await nextFrame();
    if (cancelled()) return;
    const took = Math.max(1, performance.now() - began);
    part = Math.round(Math.min(MAX_PART, Math.max(MIN_PART, (part * FRAME_BUDGET_MS) / took)));
  }
}

function nodesInView(cy: Core, elements: ElementDefinition[]): string[] {
  const { x1, y1, x2, y2 } = cy.extent();
  const ids: string[] = [];
  for (const el of elements) {
    const p = el.position;
    if (p && p.x >= x1 && p.x <= x2 && p.y >= y1 && p.y <= y2) {
      ids.push(el.data.id as string);
      if (ids.length >= MAX_LABELS) break;
    }
  }
  return ids;
}

/**
 * Fit the viewport to the node positions we computed: cytoscape's own fit measures every
 * element's bounding box, labels included (seconds at 10,000 nodes).
 */
function fitTo(cy: Core, elements: ElementDefinition[]) {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const el of elements) {
    const p = el.position;
    if (!p) continue;
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  if (!Number.isFinite(x1)) return;
  const margin = 60; // half a node and half a label (labels sit centred under their nodes)
  const [w, h] = [cy.width(), cy.height()];
  const zoom = Math.min(
    MAX_FIT_ZOOM,
    Math.max(
      cy.minZoom(),
      Math.min(
        (w - 2 * FIT_PADDING) / (x2 - x1 + 2 * margin),
        (h - 2 * FIT_PADDING) / (y2 - y1 + 2 * margin),
      ),
    ),
  );
  const cx = (x1 + x2) / 2;
  const cyMid = (y1 + y2) / 2;
  cy.viewport({ zoom, pan: { x: w / 2 - cx * zoom, y: h / 2 - cyMid * zoom } });
}

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
  const elementsRef = useRef<ElementDefinition[]>([]);
  const latest = useRef({ trace, selectedId, onSelect });
  latest.current = { trace, selectedId, onSelect };
  const [drawn, setDrawn] = useState<"drawing" | "drawn" | "failed">("drawing");
  const [hover, setHover] = useState<Hover | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: drawKey stands for the trace
  useEffect(() => {
    let cancelled = false;
    let cy: Core | null = null;
    setDrawn("drawing");
    async function draw() {
      const { default: cytoscape } = await import("cytoscape");
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
      elementsRef.current = elements;
      if (big) await addByParts(graph, elements, () => cancelled);
      else graph.batch(() => graph.add(elements));
      if (cancelled) return;
      fitTo(graph, elements);
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
      if (big) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        let labelled = graph.collection();
        graph.on("viewport", () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            if (graph.destroyed()) return;
            const next = graph.zoom() >= LABEL_ZOOM ? nodesInView(graph, elements) : [];
            graph.batch(() => {
              labelled.removeClass("labelled");
              labelled = graph.collection();
              for (const id of next) labelled.merge(graph.getElementById(id));
              labelled.addClass("labelled");
            });
          }, 150);
        });
        graph.one("destroy", () => clearTimeout(timer));
      }
      graph.one("render", () => {
        if (cancelled) return;
        performance.mark("fg:trace-drawn");
        window.__fgTraceElements = () => drawnElements(graph);
        setDrawn("drawn");
      });
    }
    draw().catch(() => {
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
          onClick={() => cyRef.current && fitTo(cyRef.current, elementsRef.current)}
        >
          Fit to view
        </button>
        <span className="muted" role="status">
          {drawn === "drawing"
            ? `Drawing ${trace.nodes.length.toLocaleString()} nodes…`
            : drawn === "failed"
              ? "The graph could not be drawn; the table view lists the same trace."
              : `Hover a node for its properties, click it to select it${
                  trace.nodes.length + trace.edges.length > BIG_GRAPH
                    ? "; zoom in (mouse wheel) to tell nodes apart and see their ids"
                    : ""
                }. The table view lists the same nodes.`}
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
