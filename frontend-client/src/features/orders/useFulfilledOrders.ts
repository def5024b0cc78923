/**
 * The sales orders a work order fulfils. The API has no `WorkOrder.salesOrders` and no
 * work-order filter on sales orders, so this reads sales orders with their work-order ids
 * a page (500) at a time and keeps those that name the work order. MAX_PAGES bounds the
 * reading (10,000 orders; the demo has a few hundred).
 */
import { useEffect, useState } from "react";
import { useClient } from "urql";
import type { SalesOrdersWithWorkOrdersQuery } from "../../gql/graphql";
import { SalesOrdersWithWorkOrders } from "./api/sales-orders-scan";

const MAX_PAGES = 20;

export type FulfilledOrder = SalesOrdersWithWorkOrdersQuery["salesOrders"]["nodes"][number];

export interface FulfilledOrders {
  orders: FulfilledOrder[];
  done: boolean;
  /** True when MAX_PAGES were read and more orders remained. */
  truncated: boolean;
  error: string | null;
}

export function useFulfilledOrders(
  workOrderId: string,
  enabled: boolean,
  revision = 0,
): FulfilledOrders {
  const client = useClient();
  const [state, setState] = useState<FulfilledOrders>({
    orders: [],
    done: false,
    truncated: false,
    error: null,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `revision` asks for a fresh read
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    setState({ orders: [], done: false, truncated: false, error: null });
    (async () => {
      const found: FulfilledOrder[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result: { data?: SalesOrdersWithWorkOrdersQuery; error?: { message: string } } =
          await client
            .query(SalesOrdersWithWorkOrders, { after }, { requestPolicy: "network-only" })
            .toPromise();
        if (cancelled) return;
        const orders: SalesOrdersWithWorkOrdersQuery["salesOrders"] | undefined =
          result.data?.salesOrders;
        if (!orders) {
          setState({
            orders: found,
            done: true,
            truncated: false,
            error: result.error?.message ?? "no answer",
          });
          return;
        }
        for (const order of orders.nodes) {
          if (order.workOrders.some((wo) => wo.id === workOrderId)) found.push(order);
        }
        if (!orders.pageInfo.hasNextPage) {
          setState({ orders: found, done: true, truncated: false, error: null });
          return;
        }
        after = orders.pageInfo.endCursor ?? null;
      }
      setState({ orders: found, done: true, truncated: true, error: null });
    })();
    return () => {
      cancelled = true;
    };
  }, [client, workOrderId, enabled, revision]);
  return state;
}
