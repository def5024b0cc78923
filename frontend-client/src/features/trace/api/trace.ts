import { graphql } from "../../../gql";

/** The genealogy from a lot, batch or supplier lot number, with every node's properties. */
export const TraceQuery = graphql(`
  query Trace($lotId: ID!, $direction: TraceDirection!, $maxDepth: Int) {
    trace(lotId: $lotId, direction: $direction, maxDepth: $maxDepth) {
      startIds
      direction
      maxDepth
      nodeCount
      nodes {
        id
        label
        depth
        properties
      }
      edges {
        sourceId
        type
        targetId
        properties
      }
    }
  }
`);
