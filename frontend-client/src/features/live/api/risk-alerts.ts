import { graphql } from "../../../gql";

/** The newest alerts, open and closed: the snapshot the alert feed starts from. */
export const RiskAlertsSnapshot = graphql(`
  query RiskAlertsSnapshot {
    riskAlerts(first: 500, orderBy: { field: CREATED_AT, direction: DESC }) {
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
        updatedAt
        about {
          id
          label
        }
        salesOrders {
          id
        }
      }
    }
  }
`);

export const RiskAlertFeed = graphql(`
  subscription RiskAlertFeed {
    riskAlerts {
      id
      severity
      message
      createdAt
      acknowledged
      kind
      probability
      horizonH
      closedAt
      at
      aboutIds
      affectedSalesOrderIds
    }
  }
`);
