import { graphql } from "../../../gql";

/** What the work-order drill-down reads: status, quantities, progress, operations, batches. */
export const WorkOrderDrillDownFields = graphql(`
  fragment WorkOrderDrillDown on WorkOrder {
    id
    status
    quantity
    unit
    plannedStart
    plannedEnd
    actualStart
    actualEnd
    progress {
      fraction
      producedQuantity
      plannedQuantity
      unit
      operationsDone
      operationsTotal
    }
    operations {
      id
      sequence
      name
      status
      plannedStart
      actualStart
      actualEnd
      machine {
        id
        name
      }
      operator {
        id
        name
      }
    }
    batches {
      id
      status
      quantity
      unit
      startedAt
      completedAt
      machine {
        id
        name
      }
    }
  }
`);
