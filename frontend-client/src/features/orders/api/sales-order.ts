import { graphql } from "../../../gql";

/** A sales order's page: header, lines, risk, and its work orders' drill-down. */
export const SalesOrderPage = graphql(`
  query SalesOrderPage($id: ID!) {
    salesOrder(id: $id) {
      id
      status
      orderedAt
      dueAt
      priority
      late
      customer {
        id
        name
        country
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
          severity
          message
          createdAt
          acknowledged
        }
      }
    }
    workOrders(filter: { salesOrderId: $id }, orderBy: { field: PLANNED_START, direction: ASC }, first: 100) {
      totalCount
      nodes {
        ...WorkOrderDrillDown
      }
    }
  }
`);
