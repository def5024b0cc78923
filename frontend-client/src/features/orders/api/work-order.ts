import { graphql } from "../../../gql";

/** A work order's own page. */
export const WorkOrderPage = graphql(`
  query WorkOrderPage($id: ID!) {
    workOrder(id: $id) {
      ...WorkOrderDrillDown
    }
  }
`);
