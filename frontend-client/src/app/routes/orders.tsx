/**
 * The sales orders: risk, lateness, due date, customer, status, priority and lines, with
 * every SalesOrderFilter field and the sort in the URL, 100 orders a page by cursor.
 */
import { useQuery } from "urql";
import { useOnResync } from "../../features/live/hooks";
import { SalesOrdersList } from "../../features/orders/api/sales-orders";
import { CustomerHeader } from "../../features/orders/components/CustomerHeader";
import { OrdersFilters } from "../../features/orders/components/OrdersFilters";
import { OrdersTable } from "../../features/orders/components/OrdersTable";
import {
  filterChange,
  isFiltered,
  readView,
  SORT_LABEL,
  toVariables,
} from "../../features/orders/filters";
import "../../features/orders/orders.css";
import { useQueryParams } from "../../lib/url-state";
import { QueryState } from "../../ui/QueryState";

export default function Orders() {
  const [params, update] = useQueryParams();
  const view = readView(params);
  const [result, refetch] = useQuery({ query: SalesOrdersList, variables: toVariables(view) });
  useOnResync(() => refetch({ requestPolicy: "network-only" }));

  const page = result.data?.salesOrders;
  const rows = page?.nodes ?? [];
  const totalCount = page?.totalCount ?? null;
  const filtered = isFiltered(view);
  const caption = `Sales orders${filtered ? " matching the filters" : ""}, by ${SORT_LABEL[
    view.sort
  ].toLowerCase()} ${view.dir === "ASC" ? "ascending" : "descending"}`;

  return (
    <>
      <h1>Sales orders</h1>
      {view.customer && <CustomerHeader id={view.customer} totalCount={totalCount} />}
      <OrdersFilters view={view} onChange={(change) => update(filterChange(change))} />
      <div className="orders-summary" aria-live="polite">
        {totalCount !== null && (
          <p>
            <strong data-testid="orders-total" data-total={totalCount}>
              {totalCount}
            </strong>{" "}
            sales order{totalCount === 1 ? "" : "s"}
            {filtered ? " match the filters" : " in all"}
            {rows.length > 0 && rows.length < totalCount && (
              <span className="muted"> · {rows.length} on this page</span>
            )}
            {result.fetching && <span className="muted"> · updating…</span>}
          </p>
        )}
      </div>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={rows.length === 0}
        what="sales orders"
        emptyText={
          filtered ? "No sales order matches these filters." : "There are no sales orders yet."
        }
        retry={() => refetch({ requestPolicy: "network-only" })}
      >
        <OrdersTable rows={rows} caption={caption} />
        {page && (page.pageInfo.hasPreviousPage || page.pageInfo.hasNextPage) && (
          <nav className="pager" aria-label="Pages of sales orders">
            <button
              type="button"
              className="secondary"
              disabled={!page.pageInfo.hasPreviousPage || !page.pageInfo.startCursor}
              onClick={() => update({ before: page.pageInfo.startCursor, after: null }, false)}
            >
              ← Previous 100
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!page.pageInfo.hasNextPage || !page.pageInfo.endCursor}
              onClick={() => update({ after: page.pageInfo.endCursor, before: null }, false)}
            >
              Next 100 →
            </button>
          </nav>
        )}
      </QueryState>
    </>
  );
}
