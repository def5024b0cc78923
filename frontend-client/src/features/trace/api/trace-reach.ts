import { graphql } from "../../../gql";

/**
 * How many nodes the same trace reaches one level deeper. Only `nodeCount` is selected, so
 * the service loads no properties; more nodes than the shown trace means it was cut.
 */
export const TraceReachQuery = graphql(`
  query TraceReach($lotId: ID!, $direction: TraceDirection!, $maxDepth: Int!) {
    trace(lotId: $lotId, direction: $direction, maxDepth: $maxDepth) {
      maxDepth
      nodeCount
    }
  }
`);
