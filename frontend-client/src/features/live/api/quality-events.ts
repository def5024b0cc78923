import { graphql } from "../../../gql";

export const QualityEventFeed = graphql(`
  subscription QualityEventFeed {
    qualityEvents {
      id
      kind
      severity
      occurredAt
      description
      subjectIds
    }
  }
`);
