import { graphql } from "../../../gql";

/** One page of quality events, newest first, under the page's filter. */
export const QualityEventsPage = graphql(`
  query QualityEventsPage($filter: QualityEventFilter, $first: Int!, $after: String) {
    qualityEvents(
      filter: $filter
      orderBy: { field: OCCURRED_AT, direction: DESC }
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
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
