import { graphql } from "../../../gql";

/** Acknowledge an alert: the alert as it is now, or a typed reason why not. */
export const AcknowledgeAlert = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      __typename
      ... on RiskAlert {
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
      ... on ValidationError {
        field
        message
      }
      ... on NotFoundError {
        message
        ids
      }
      ... on ConflictError {
        message
      }
    }
  }
`);
