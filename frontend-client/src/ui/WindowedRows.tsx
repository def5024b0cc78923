/**
 * A table body that renders every row when the list is short and only the rows in view
 * (with spacer rows above and below) when it is long, so a page with thousands of rows
 * stays responsive. The table keeps its <thead> and <th scope> semantics either way.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useEffect, useRef } from "react";
import "./WindowedRows.css";

/** Lists longer than this are windowed. */
export const WINDOW_AFTER_ROWS = 150;

export interface WindowedTableProps {
  count: number;
  /** Estimated height of one row in px (rows are measured once drawn). */
  rowHeight: number;
  columns: number;
  /** Accessible name of the scrolling region (only present when windowed). */
  label: string;
  className?: string;
  caption?: ReactNode;
  head: ReactNode;
  /** One <tr>; it must pass `measure` as its ref and `index` as data-index. */
  renderRow: (index: number, measure?: (el: Element | null) => void) => ReactNode;
  /** Scroll this row into view (e.g. the one the URL highlights). */
  scrollToIndex?: number | null;
  windowAfter?: number;
}

export function WindowedTable(props: WindowedTableProps) {
  const windowed = props.count > (props.windowAfter ?? WINDOW_AFTER_ROWS);
  return windowed ? <Windowed {...props} /> : <Plain {...props} />;
}

function Plain({ count, className, caption, head, renderRow, scrollToIndex }: WindowedTableProps) {
  const body = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    if (scrollToIndex === null || scrollToIndex === undefined || scrollToIndex < 0) return;
    const row = body.current?.children[scrollToIndex];
    if (!row) return;
    // Only when it is not already in view (a sticky footer covers the window's last lines).
    const box = row.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight - 64) {
      row.scrollIntoView?.({ block: "center" });
    }
  }, [scrollToIndex]);
  return (
    <table className={className ?? "table"}>
      {caption}
      <thead>{head}</thead>
      <tbody ref={body}>{Array.from({ length: count }, (_, i) => renderRow(i))}</tbody>
    </table>
  );
}

function Windowed({
  count,
  rowHeight,
  columns,
  label,
  className,
  caption,
  head,
  renderRow,
  scrollToIndex,
}: WindowedTableProps) {
  const scroller = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  useEffect(() => {
    if (scrollToIndex === null || scrollToIndex === undefined || scrollToIndex < 0) return;
    virtualizer.scrollToIndex(scrollToIndex, { align: "center" });
  }, [scrollToIndex, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section className="windowed-rows" ref={scroller} tabIndex={0} aria-label={label}>
      <table className={className ?? "table"}>
        {caption}
        <thead>{head}</thead>
        <tbody>
          {top > 0 && (
            <tr className="windowed-spacer" style={{ height: top }}>
              <td colSpan={columns} />
            </tr>
          )}
          {items.map((item) => renderRow(item.index, virtualizer.measureElement))}
          {bottom > 0 && (
            <tr className="windowed-spacer" style={{ height: bottom }}>
              <td colSpan={columns} />
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
