import { graphql } from "../../../gql";

/**
 * What live alert rows may lack: the labels of what each alert is about (events carry bare
 * ids) and the model's kind, probability and horizon (an acknowledgement event omits them).
 */
export const AlertFacts = graphql(`
  query AlertFacts($ids: [ID!]!, $first: Int!) {
    riskAlerts(filter: { ids: $ids }, first: $first) {
      nodes {
        id
        kind
        probability
        horizonH
        about {
          id
          label
        }
      }
    }
  }
`);
