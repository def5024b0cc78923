/** Who the filtered orders list is about (`?customer=ID`): name, country, id. */
import { useQuery } from "urql";
import { useOnResync } from "../../live/hooks";
import { OrdersCustomer } from "../api/customer";

export function CustomerHeader({ id, totalCount }: { id: string; totalCount: number | null }) {
  const [result, refetch] = useQuery({ query: OrdersCustomer, variables: { id } });
  useOnResync(() => refetch({ requestPolicy: "network-only" }));
  const customer = result.data?.customer;
  if (result.fetching && !result.data) {
    return (
      <p className="muted" role="status">
        Loading customer {id}…
      </p>
    );
  }
  if (result.error && !result.data) {
    return (
      <p className="state state-error" role="alert">
        Could not load customer {id}: {result.error.message}
      </p>
    );
  }
  if (!customer) {
    return (
      <p className="state state-empty" data-testid="customer-missing">
        No customer has the id “{id}”.
      </p>
    );
  }
  return (
    <section
      className="panel customer-header"
      data-testid="customer-header"
      data-customer-id={customer.id}
      aria-label="Customer"
    >
      <h2 data-testid="customer-name">{customer.name}</h2>
      <dl className="facts">
        <div>
          <dt>Customer id</dt>
          <dd>{customer.id}</dd>
        </div>
        <div>
          <dt>Country</dt>
          <dd>{customer.country}</dd>
        </div>
        {totalCount !== null && (
          <div>
            <dt>Orders shown</dt>
            <dd className="num">{totalCount}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
