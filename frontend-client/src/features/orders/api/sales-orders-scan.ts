import { graphql } from "../../../gql";

/**
 * Sales orders with their work-order ids, a page at a time. WorkOrder has no `salesOrders`
 * field and SalesOrderFilter no work-order id, so the work-order page finds the orders a
 * work order fulfils by reading these pages (a few hundred rows in the demo).
 */
export const SalesOrdersWithWorkOrders = graphql(`
  query SalesOrdersWithWorkOrders($after: String) {
    salesOrders(first: 500, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        dueAt
        late
        customer {
          id
          name
        }
        workOrders {
          id
        }
      }
    }
  }
`);
