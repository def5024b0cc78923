/** The selected node: its properties, its neighbours in the trace and a link to its page. */
import { Link } from "wouter";
import { pageFor } from "../../../lib/links";
import {
  describedProperties,
  GENEALOGY_LABELS,
  propertiesOf,
  statusOf,
  type Trace,
  type TraceNode,
} from "../model";
import { StatusBadge } from "./TraceTable";

const NEIGHBOURS_SHOWN = 30;

export function NodePanel({
  node,
  missingId,
  trace,
  onSelect,
}: {
  node: TraceNode | undefined;
  /** The ?node= id when it is not part of this trace. */
  missingId: string | null;
  trace: Trace;
  onSelect: (id: string | null) => void;
}) {
  if (!node) {
    return (
      <aside className="panel trace-side" aria-label="Selected node" data-testid="trace-selected">
        <h2>Selected node</h2>
        <p className="muted">
          {missingId
            ? `${missingId} is not part of this trace.`
            : "Click a node in the graph, or Details in the table, to see its properties."}
        </p>
      </aside>
    );
  }
  const neighbours = trace.edges
    .filter((e) => e.sourceId === node.id || e.targetId === node.id)
    .map((e) =>
      e.sourceId === node.id
        ? { key: `${e.type}>${e.targetId}`, text: `${e.type} →`, id: e.targetId }
        : { key: `${e.type}<${e.sourceId}`, text: `← ${e.type}`, id: e.sourceId },
    );
  const href = pageFor(node.label, node.id);
  return (
    <aside
      className="panel trace-side"
      aria-label="Selected node"
      data-testid="trace-selected"
      data-node-id={node.id}
    >
      <h2>
        {node.label} {node.id}
      </h2>
      <p>
        Depth {node.depth} · <StatusBadge status={statusOf(node)} />
      </p>
      <p>
        <Link href={href} data-testid="trace-selected-link">
          {GENEALOGY_LABELS.has(node.label) ? `Trace from ${node.id}` : `Open ${node.id}`}
        </Link>
      </p>
      <h3>Properties</h3>
      <dl className="trace-props">
        {describedProperties(propertiesOf(node)).map(([name, text]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
      <h3>In this trace ({neighbours.length})</h3>
      <ul className="trace-neighbours">
        {neighbours.slice(0, NEIGHBOURS_SHOWN).map((n) => (
          <li key={n.key}>
            <span className="muted">{n.text}</span>{" "}
            <button type="button" className="link-button" onClick={() => onSelect(n.id)}>
              {n.id}
            </button>
          </li>
        ))}
        {neighbours.length > NEIGHBOURS_SHOWN && (
          <li className="muted">and {neighbours.length - NEIGHBOURS_SHOWN} more</li>
        )}
      </ul>
      <button type="button" className="secondary" onClick={() => onSelect(null)}>
        Clear selection
      </button>
    </aside>
  );
}
