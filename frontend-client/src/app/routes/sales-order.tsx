/**
 * One sales order: who ordered what by when, how much it is at risk and why, then its work
 * orders opened up (operations, batches, live progress) down to each batch's trace.
 */
import { useCallback } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { useOnResync } from "../../features/live/hooks";
import { SalesOrderPage } from "../../features/orders/api/sales-order";
import { LateBadge, StatusBadge } from "../../features/orders/components/StatusBadge";
import { WorkOrderDrillDown } from "../../features/orders/components/WorkOrderDrillDown";
import { salesOrderStatusClass } from "../../features/orders/status";
import { useAlertChanges } from "../../features/orders/useAlertChanges";
import "../../features/orders/orders.css";
import { pageFor } from "../../lib/links";
import { formatInstant, formatNumber } from "../../lib/time";
import { QueryState } from "../../ui/QueryState";
import { SeverityBadge } from "../../ui/StateBadge";

export default function SalesOrder({ id }: { id: string }) {
  const [result, refetch] = useQuery({ query: SalesOrderPage, variables: { id } });
  const again = useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]);
  useOnResync(again);
  useAlertChanges(id, again);
  const order = result.data?.salesOrder;
  const workOrders = result.data?.workOrders;

  return (
    <>
      <h1>
        Sales order <span data-testid="sales-order-id">{id}</span>
      </h1>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={!order}
        what="the sales order"
        emptyText={
          <>
            No sales order has the id “{id}”. See the <Link href="/orders">sales orders</Link> or
            search for another id above.
          </>
        }
        retry={again}
      >
        {order && (
          <>
            <section className="panel so-header" aria-label="Order" data-testid="sales-order">
              <dl className="facts">
                <div>
                  <dt>Customer</dt>
                  <dd>
                    {order.customer ? (
                      <Link
                        href={pageFor("Customer", order.customer.id)}
                        data-testid="customer-link"
                        data-customer-id={order.customer.id}
                      >
                        {order.customer.name} ({order.customer.id})
                      </Link>
                    ) : (
                      "–"
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Status</dt>
                  <dd>
                    <StatusBadge
                      status={order.status}
                      className={salesOrderStatusClass(order.status)}
                      testId="sales-order-status"
                    />
                  </dd>
                </div>
                <div>
                  <dt>Due</dt>
                  <dd data-testid="sales-order-due">
                    {formatInstant(order.dueAt)} {order.late && <LateBadge />}
                  </dd>
                </div>
                <div>
                  <dt>Ordered</dt>
                  <dd>{formatInstant(order.orderedAt)}</dd>
                </div>
                <div>
                  <dt>Priority</dt>
                  <dd className="num">
                    {order.priority} <span className="muted">(1 highest)</span>
                  </dd>
                </div>
                <div>
                  <dt>Risk</dt>
                  <dd data-testid="sales-order-risk" data-risk={order.risk.level ?? ""}>
                    {order.risk.level ? (
                      <SeverityBadge severity={order.risk.level} />
                    ) : (
                      <span className="muted">no open alert</span>
                    )}
                  </dd>
                </div>
              </dl>
              {order.risk.alerts.length > 0 && (
                <>
                  <h2>Risk alerts</h2>
                  <ul className="risk-alerts" data-testid="risk-alerts">
                    {order.risk.alerts.map((alert) => (
                      <li key={alert.id} data-alert-id={alert.id}>
                        <SeverityBadge severity={alert.severity} />{" "}
                        <Link href={pageFor("RiskAlert", alert.id)}>{alert.id}</Link>{" "}
                        {alert.message}{" "}
                        <span className="muted">raised {formatInstant(alert.createdAt)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>

            <h2>Lines</h2>
            <table className="table" data-testid="sales-order-lines">
              <caption className="visually-hidden">Products ordered in {order.id}</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Name</th>
                  <th scope="col" className="num">
                    Quantity
                  </th>
                </tr>
              </thead>
              <tbody>
                {order.lines.map((line) => (
                  <tr key={line.product.id} data-product-id={line.product.id}>
                    <td>
                      <Link href={`/orders?product=${encodeURIComponent(line.product.id)}`}>
                        {line.product.id}
                      </Link>
                    </td>
                    <td>{line.product.name}</td>
                    <td className="num" data-value={line.quantity}>
                      {formatNumber(line.quantity)} {line.unit ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>

            <h2>
              Work orders{" "}
              <span className="muted" data-testid="work-order-count">
                ({workOrders?.totalCount ?? 0})
              </span>
            </h2>
            {!workOrders || workOrders.nodes.length === 0 ? (
              <p className="state state-empty">No work order fulfils this order yet.</p>
            ) : (
              <div className="wo-list">
                {workOrders.nodes.map((wo) => (
                  <WorkOrderDrillDown
                    key={wo.id}
                    workOrder={wo}
                    heading="h3"
                    titleLink
                    onNewerThanQuery={again}
                  />
                ))}
                {workOrders.totalCount > workOrders.nodes.length && (
                  <p className="muted">
                    Showing the first {workOrders.nodes.length} of {workOrders.totalCount} work
                    orders.
                  </p>
                )}
              </div>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
