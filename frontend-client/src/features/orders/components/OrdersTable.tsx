/**
 * The sales orders of one page of the list, virtualised: only the rows in view (and a few
 * around them) are in the DOM, spacer rows stand for the rest, each row says its place
 * (`aria-rowindex`, `data-index`) so assistive tech and tests can tell where they are.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { Link } from "wouter";
import type { SalesOrdersListQuery } from "../../../gql/graphql";
import { pageFor } from "../../../lib/links";
import { formatInstant, formatNumber } from "../../../lib/time";
import { SeverityBadge } from "../../../ui/StateBadge";
import { salesOrderStatusClass } from "../status";
import { LateBadge, StatusBadge } from "./StatusBadge";

export type OrderRow = SalesOrdersListQuery["salesOrders"]["nodes"][number];

const COLUMNS = 8;
const ROW_ESTIMATE_PX = 46;

export function OrdersTable({ rows, caption }: { rows: readonly OrderRow[]; caption: string }) {
  const scroller = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const last = items[items.length - 1];
  const bottom = last ? virtualizer.getTotalSize() - last.end : 0;

  return (
    <section
      className="orders-scroll"
      ref={scroller}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus for keyboard users
      tabIndex={0}
      aria-label={caption}
      data-testid="orders-scroll"
    >
      <table className="table orders-table" aria-rowcount={rows.length + 1}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Order</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Due</th>
            <th scope="col">Ordered</th>
            <th scope="col" className="num">
              Priority
            </th>
            <th scope="col">Risk</th>
            <th scope="col">Lines</th>
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr className="spacer" style={{ height: top }}>
              <td colSpan={COLUMNS} />
            </tr>
          )}
          {items.map((item) => {
            const order = rows[item.index];
            if (!order) return null;
            return (
              <tr
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                data-testid="order-row"
                data-order-id={order.id}
                className={order.late ? "late" : undefined}
              >
                <td>
                  <Link href={pageFor("SalesOrder", order.id)}>{order.id}</Link>
                </td>
                <td>
                  {order.customer ? (
                    <Link href={pageFor("Customer", order.customer.id)} title={order.customer.id}>
                      {order.customer.name}
                    </Link>
                  ) : (
                    "–"
                  )}
                </td>
                <td>
                  <StatusBadge
                    status={order.status}
                    className={salesOrderStatusClass(order.status)}
                  />
                </td>
                <td>
                  {formatInstant(order.dueAt)} {order.late && <LateBadge />}
                </td>
                <td>{formatInstant(order.orderedAt)}</td>
                <td className="num">{order.priority}</td>
                <td data-risk={order.risk.level ?? ""}>
                  {order.risk.level ? (
                    <>
                      <SeverityBadge severity={order.risk.level} />{" "}
                      <span className="muted">
                        {order.risk.alerts.length} alert{order.risk.alerts.length === 1 ? "" : "s"}
                      </span>
                    </>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
                <td>
                  <ul className="order-lines">
                    {order.lines.map((line) => (
                      <li key={line.product.id}>
                        <span className="num">
                          {formatNumber(line.quantity)} {line.unit ?? ""}
                        </span>{" "}
                        {line.product.name} <span className="muted">({line.product.id})</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr className="spacer" style={{ height: bottom }}>
              <td colSpan={COLUMNS} />
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
