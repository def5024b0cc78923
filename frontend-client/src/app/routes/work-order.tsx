/**
 * One work order on its own page (where the search box's WorkOrder hits land): status,
 * quantities, planned against actual, live progress, operations, batches and the sales
 * orders it fulfils.
 */
import { useCallback, useState } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { useOnResync } from "../../features/live/hooks";
import { WorkOrderPage } from "../../features/orders/api/work-order";
import { LateBadge, StatusBadge } from "../../features/orders/components/StatusBadge";
import { WorkOrderDrillDown } from "../../features/orders/components/WorkOrderDrillDown";
import { salesOrderStatusClass } from "../../features/orders/status";
import { useFulfilledOrders } from "../../features/orders/useFulfilledOrders";
import "../../features/orders/orders.css";
import { pageFor } from "../../lib/links";
import { formatInstant } from "../../lib/time";
import { QueryState } from "../../ui/QueryState";

export default function WorkOrder({ id }: { id: string }) {
  const [result, refetch] = useQuery({ query: WorkOrderPage, variables: { id } });
  const [revision, setRevision] = useState(0);
  const again = useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]);
  useOnResync(() => {
    again();
    setRevision((r) => r + 1);
  });
  const wo = result.data?.workOrder;
  const fulfilled = useFulfilledOrders(id, Boolean(wo), revision);

  return (
    <>
      <h1>
        Work order <span data-testid="work-order-id">{id}</span>
      </h1>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={!wo}
        what="the work order"
        emptyText={
          <span data-testid="work-order-missing">
            No work order has the id “{id}”. Open a <Link href="/orders">sales order</Link> to see
            its work orders, or search for another id above.
          </span>
        }
        retry={again}
      >
        {wo && (
          <>
            <WorkOrderDrillDown
              workOrder={wo}
              heading="h2"
              title="Status and progress"
              onNewerThanQuery={again}
            />
            <h2>Sales orders it fulfils</h2>
            {!fulfilled.done ? (
              <p className="muted" role="status">
                Looking for the sales orders of {id}…
              </p>
            ) : fulfilled.error ? (
              <p className="state state-error" role="alert">
                Could not read the sales orders: {fulfilled.error}
              </p>
            ) : fulfilled.orders.length === 0 ? (
              <p className="state state-empty">
                No sales order names this work order
                {fulfilled.truncated ? " among the first 10,000 orders read" : ""}.
              </p>
            ) : (
              <table className="table" data-testid="fulfilled-orders">
                <caption className="visually-hidden">Sales orders work order {id} fulfils</caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Status</th>
                    <th scope="col">Due</th>
                  </tr>
                </thead>
                <tbody>
                  {fulfilled.orders.map((order) => (
                    <tr key={order.id} data-order-id={order.id}>
                      <td>
                        <Link href={pageFor("SalesOrder", order.id)}>{order.id}</Link>
                      </td>
                      <td>
                        {order.customer ? (
                          <Link href={pageFor("Customer", order.customer.id)}>
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
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
