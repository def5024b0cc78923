/**
 * The trace as a table: one row per node, virtualised (only the rows in view are in the
 * DOM, with spacer rows above and below), sortable by depth or label.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { Link } from "wouter";
import { pageFor } from "../../../lib/links";
import {
  keyProperties,
  type SortKey,
  statusOf,
  statusText,
  statusTone,
  type TraceNode,
} from "../model";

const ROW_HEIGHT = 37;

export function StatusBadge({ status }: { status: string | null }) {
  const tone = statusTone(status);
  if (!tone) return <span>{statusText(status)}</span>;
  return (
    <span className={`badge ${tone === "rejected" ? "state-down" : "state-idle"}`}>
      {statusText(status)}
    </span>
  );
}

function SortHeader({
  column,
  title,
  sort,
  onSort,
}: {
  column: "depth" | "label";
  title: string;
  sort: SortKey;
  onSort: (sort: SortKey) => void;
}) {
  const active = sort === column || sort === `-${column}`;
  const descending = sort === `-${column}`;
  return (
    <th
      scope="col"
      aria-sort={active ? (descending ? "descending" : "ascending") : "none"}
      className={column === "depth" ? "num" : undefined}
    >
      <button
        type="button"
        className="trace-sort"
        onClick={() => onSort(active && !descending ? `-${column}` : column)}
      >
        {title}
        <span aria-hidden="true">{active ? (descending ? " ▼" : " ▲") : " ↕"}</span>
      </button>
    </th>
  );
}

export function TraceTable({
  nodes,
  sort,
  onSort,
  selectedId,
  onSelect,
  caption,
}: {
  /** Already sorted. */
  nodes: readonly TraceNode[];
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  selectedId: string | null;
  onSelect: (id: string) => void;
  caption: string;
}) {
  const scrollRef = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: nodes.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height: 640 },
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    // Its links and buttons make the scrolling region reachable by keyboard.
    <section
      ref={scrollRef}
      className="trace-table-scroll"
      aria-label={caption}
      data-testid="trace-table"
      data-row-count={nodes.length}
    >
      <table className="table trace-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <SortHeader column="label" title="Kind" sort={sort} onSort={onSort} />
            <SortHeader column="depth" title="Depth" sort={sort} onSort={onSort} />
            <th scope="col">Status</th>
            <th scope="col">Key properties</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr className="trace-spacer">
              <td colSpan={6} style={{ height: top }} />
            </tr>
          )}
          {items.map((item) => {
            const node = nodes[item.index];
            if (!node) return null;
            const selected = node.id === selectedId;
            return (
              <tr
                key={node.id}
                data-testid="trace-row"
                data-node-id={node.id}
                data-depth={node.depth}
                data-label={node.label}
                className={selected ? "selected" : undefined}
                style={{ height: ROW_HEIGHT }}
              >
                <td>
                  <Link href={pageFor(node.label, node.id)}>{node.id}</Link>
                </td>
                <td>{node.label}</td>
                <td className="num">{node.depth}</td>
                <td>
                  <StatusBadge status={statusOf(node)} />
                </td>
                <td className="trace-key-props">
                  {keyProperties(node).map(([name, text]) => (
                    <span key={name}>
                      <span className="muted">{name}</span> {text}
                    </span>
                  ))}
                </td>
                <td>
                  <button
                    type="button"
                    className="secondary trace-select"
                    aria-pressed={selected}
                    onClick={() => onSelect(node.id)}
                  >
                    Details<span className="visually-hidden"> of {node.id}</span>
                  </button>
                </td>
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr className="trace-spacer">
              <td colSpan={6} style={{ height: bottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
