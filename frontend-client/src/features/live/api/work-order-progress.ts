import { graphql } from "../../../gql";

export const WorkOrderProgressFeed = graphql(`
  subscription WorkOrderProgressFeed {
    workOrderProgress {
      workOrderId
      status
      producedQuantity
      quantity
      unit
      at
      batchId
    }
  }
`);
