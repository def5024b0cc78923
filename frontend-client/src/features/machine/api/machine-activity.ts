import { graphql } from "../../../gql";

/** What happened around a machine: its risk alerts, newest quality events and batches. */
export const MachineActivity = graphql(`
  query MachineActivity($id: ID!) {
    riskAlerts(
      filter: { aboutId: $id }
      orderBy: { field: CREATED_AT, direction: DESC }
      first: 50
    ) {
      totalCount
      nodes {
        id
        severity
        message
        createdAt
        acknowledged
        kind
        probability
        horizonH
        closedAt
      }
    }
    qualityEvents(
      filter: { machineId: $id }
      orderBy: { field: OCCURRED_AT, direction: DESC }
      first: 20
    ) {
      totalCount
      nodes {
        id
        kind
        severity
        occurredAt
        description
        subjectIds
      }
    }
    batches(filter: { machineId: $id }, orderBy: { field: STARTED_AT, direction: DESC }, first: 20) {
      totalCount
      nodes {
        id
        status
        quantity
        unit
        startedAt
        completedAt
        workOrder {
          id
        }
      }
    }
  }
`);
