import { graphql } from "../../../gql";

/** One page of the orders list: the filter, sort and cursor come from the URL. */
export const SalesOrdersList = graphql(`
  query SalesOrdersList(
    $filter: SalesOrderFilter
    $orderBy: SalesOrderOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    salesOrders(
      filter: $filter
      orderBy: $orderBy
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        status
        orderedAt
        dueAt
        priority
        late
        customer {
          id
          name
        }
        lines {
          quantity
          unit
          product {
            id
            name
          }
        }
        risk {
          level
          late
          alerts {
            id
          }
        }
      }
    }
  }
`);
