/**
 * How the trace graph draws each kind of node: a shape and a colour per label, a marked
 * border for rejected and held statuses. Colours are dark enough for 3:1 against the white
 * canvas (WCAG 1.4.11, graphical objects); labels under a readable size are not drawn.
 */
import type { StylesheetJson } from "cytoscape";
import type { StatusTone } from "./model";

export interface NodeKind {
  shape: string;
  color: string;
  /** How the legend names the shape. */
  shapeName: string;
}

export const NODE_KINDS: Record<string, NodeKind> = {
  MaterialLot: { shape: "ellipse", color: "#1f5fa8", shapeName: "circle" },
  Batch: { shape: "round-rectangle", color: "#1d7a36", shapeName: "rounded square" },
  WorkOrder: { shape: "hexagon", color: "#6a3fa0", shapeName: "hexagon" },
  Shipment: { shape: "diamond", color: "#a85a00", shapeName: "diamond" },
  Customer: { shape: "star", color: "#a8245e", shapeName: "star" },
  SalesOrder: { shape: "rectangle", color: "#7a6000", shapeName: "square" },
  PurchaseOrder: { shape: "rhomboid", color: "#4f5f73", shapeName: "rhomboid" },
  Supplier: { shape: "octagon", color: "#00706f", shapeName: "octagon" },
  Machine: { shape: "barrel", color: "#444b55", shapeName: "barrel" },
};

export const OTHER_KIND: NodeKind = { shape: "ellipse", color: "#5c6470", shapeName: "circle" };

export function kindOf(label: string): NodeKind {
  return NODE_KINDS[label] ?? OTHER_KIND;
}

export const TONE_COLOR: Record<StatusTone, string> = { rejected: "#c21b1b", held: "#b86e00" };

/** Class names a node carries: its label and its status tone. */
export function nodeClasses(label: string, tone: StatusTone | null, start: boolean): string {
  const kind = NODE_KINDS[label] ? `k-${label}` : "k-other";
  return [kind, tone ? `s-${tone}` : "", start ? "start" : ""].filter(Boolean).join(" ");
}

/** Above this many elements the graph draws edges as haystacks (no arrows) and textures. */
export const BIG_GRAPH = 3_000;

export function graphStyle(big: boolean): StylesheetJson {
  const kinds: StylesheetJson = Object.entries(NODE_KINDS).map(([label, kind]) => ({
    selector: `node.k-${label}`,
    style: { shape: kind.shape as never, "background-color": kind.color },
  }));
  return [
    {
      selector: "node",
      style: {
        width: 22,
        height: 22,
        shape: OTHER_KIND.shape as never,
        "background-color": OTHER_KIND.color,
        // Big graphs label only the nodes in view once zoomed in (TraceGraph): measuring
        // 10,000 labels costs seconds on the main thread.
        ...(big ? {} : { label: "data(id)" }),
        "font-size": 10,
        color: "#1b1f24",
        "text-valign": "bottom",
        "text-margin-y": 2,
        "min-zoomed-font-size": 8,
        "text-background-color": "#ffffff",
        "text-background-opacity": big ? 0 : 0.8,
        "text-background-padding": "1px",
      },
    },
    ...kinds,
    { selector: "node.labelled", style: { label: "data(id)" } },
    {
      selector: "node.start",
      style: { width: 30, height: 30, "border-width": 3, "border-color": "#14263d" },
    },
    {
      selector: "node.s-rejected",
      style: { "border-width": 4, "border-color": TONE_COLOR.rejected, "border-style": "double" },
    },
    {
      selector: "node.s-held",
      style: { "border-width": 3, "border-color": TONE_COLOR.held, "border-style": "dashed" },
    },
    {
      selector: "node:selected",
      style: {
        "overlay-color": "#f0b400",
        "overlay-opacity": 0.45,
        "overlay-padding": 6,
        "z-index": 10,
      },
    },
    {
      selector: "edge",
      style: big
        ? { width: 1, "line-color": "#8a93a0", "curve-style": "haystack", opacity: 0.7 }
        : {
            width: 1.5,
            "line-color": "#7d8694",
            "curve-style": "straight",
            "target-arrow-shape": "triangle",
            "target-arrow-color": "#7d8694",
            "arrow-scale": 0.9,
          },
    },
    {
      selector: "edge:selected",
      style: { "line-color": "#0b5cad", "target-arrow-color": "#0b5cad", width: 3 },
    },
  ];
}
