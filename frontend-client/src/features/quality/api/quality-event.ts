import { graphql } from "../../../gql";

/** One quality event by id (the highlighted one, when the filters hide it). */
export const QualityEventById = graphql(`
  query QualityEventById($ids: [ID!]!) {
    qualityEvents(filter: { ids: $ids }, first: 1) {
      nodes {
        id
        kind
        severity
        occurredAt
        description
        subjectIds
      }
    }
  }
`);
