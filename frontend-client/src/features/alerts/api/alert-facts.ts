import { graphql } from "../../../gql";

/**
 * The labels of what alerts are about (live rows carry bare ids), so each subject links to
 * its own page.
 */
export const AlertSubjects = graphql(`
  query AlertSubjects($ids: [ID!]!, $first: Int!) {
    riskAlerts(filter: { ids: $ids }, first: $first) {
      nodes {
        id
        about {
          id
          label
        }
      }
    }
  }
`);
