/** Totals of a trace: per depth, per kind (with the graph's legend), and the cut banner. */
import { kindOf } from "../graph-style";
import type { Cut } from "../model";
import { MAX_DEPTH_LIMIT } from "../model";

const SHAPES: Record<string, string> = {
  ellipse: "circle",
  "round-rectangle": "rrect",
  rectangle: "rect",
};

/** A small picture of a node shape, for the legend. */
export function ShapeSwatch({ shape, color }: { shape: string; color: string }) {
  const points: Record<string, string> = {
    hexagon: "4,1 12,1 15,8 12,15 4,15 1,8",
    diamond: "8,0 16,8 8,16 0,8",
    star: "8,0 10,6 16,6 11,10 13,16 8,12 3,16 5,10 0,6 6,6",
    rhomboid: "4,2 16,2 12,14 0,14",
    octagon: "5,0 11,0 16,5 16,11 11,16 5,16 0,11 0,5",
    barrel: "3,0 13,0 16,8 13,16 3,16 0,8",
  };
  const kind = SHAPES[shape];
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" className="trace-swatch">
      {kind === "circle" ? (
        <circle cx="8" cy="8" r="7" fill={color} />
      ) : kind === "rrect" ? (
        <rect x="1" y="1" width="14" height="14" rx="4" fill={color} />
      ) : kind === "rect" ? (
        <rect x="1" y="1" width="14" height="14" fill={color} />
      ) : (
        <polygon points={points[shape] ?? points.octagon} fill={color} />
      )}
    </svg>
  );
}

export function LabelLegend({ counts }: { counts: Array<{ label: string; count: number }> }) {
  return (
    <ul className="trace-legend" aria-label="Nodes by kind" data-testid="trace-legend">
      {counts.map(({ label, count }) => {
        const kind = kindOf(label);
        return (
          <li key={label} data-label={label} data-count={count}>
            <ShapeSwatch shape={kind.shape} color={kind.color} />
            {label} <span className="num">{count.toLocaleString()}</span>
            <span className="visually-hidden"> ({kind.shapeName})</span>
          </li>
        );
      })}
      <li className="trace-legend-status">
        <span className="trace-ring trace-ring-rejected" aria-hidden="true" /> rejected
      </li>
      <li className="trace-legend-status">
        <span className="trace-ring trace-ring-held" aria-hidden="true" /> held or quarantined
      </li>
    </ul>
  );
}

export function DepthCounts({ counts }: { counts: Array<{ depth: number; count: number }> }) {
  return (
    <div className="trace-depths-wrap">
      <table className="table trace-depths" data-testid="trace-depth-counts">
        <caption className="visually-hidden">Nodes per depth</caption>
        <tbody>
          <tr>
            <th scope="row">Depth</th>
            {counts.map(({ depth }) => (
              <td key={depth} className="num">
                {depth}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Nodes</th>
            {counts.map(({ depth, count }) => (
              <td key={depth} className="num" data-depth={depth} data-count={count}>
                {count.toLocaleString()}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function CutBanner({ cut, onDeeper }: { cut: Cut; onDeeper: (depth: number) => void }) {
  if (cut.kind === "cut") {
    const deeper = Math.min(MAX_DEPTH_LIMIT, cut.depth + 5);
    return (
      <div className="trace-cut" data-testid="trace-cut" data-kind="cut" role="note">
        <p>
          Cut at depth {cut.depth}: increase the depth to see more.{" "}
          <button type="button" onClick={() => onDeeper(deeper)}>
            Trace to depth {deeper}
          </button>
        </p>
      </div>
    );
  }
  if (cut.kind === "limit") {
    return (
      <div className="trace-cut" data-testid="trace-cut" data-kind="limit" role="note">
        <p>
          Cut at depth {cut.depth}, the deepest the service traces: the genealogy may go further.
          Trace again from one of the nodes at depth {cut.depth} to see more.
        </p>
      </div>
    );
  }
  return null;
}
