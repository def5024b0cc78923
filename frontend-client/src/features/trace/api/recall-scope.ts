import { graphql } from "../../../gql";

/** What a recall of a lot (downstream, to the service's full depth) must reach. */
export const RecallScopeQuery = graphql(`
  query RecallScope($lotId: ID!) {
    recallScope(lotId: $lotId) {
      lotIds
      batches
      finishedBatches
      shipments
      customers
      openSalesOrders
      workOrders
    }
  }
`);
