import { graphql } from "../../../gql";

/** One alert with its explanation, what it is about and the sales orders it puts at risk. */
export const AlertDetail = graphql(`
  query AlertDetail($id: ID!) {
    riskAlert(id: $id) {
      id
      severity
      message
      createdAt
      acknowledged
      kind
      probability
      horizonH
      closedAt
      explanation {
        topFeatures {
          name
          value
          contribution
        }
        drivers {
          nodeType
          id
          contribution
        }
      }
      salesOrders {
        id
        dueAt
        status
        customer {
          id
          name
        }
      }
      about {
        id
        label
      }
    }
  }
`);
