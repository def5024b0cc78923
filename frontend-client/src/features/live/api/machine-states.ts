import { graphql } from "../../../gql";

/** Every machine's state and since when: the snapshot the machine-state feed starts from. */
export const MachineStatesSnapshot = graphql(`
  query MachineStatesSnapshot($after: String) {
    machines(first: 500, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        state
        stateAt
      }
    }
  }
`);

export const MachineStateFeed = graphql(`
  subscription MachineStateFeed {
    machineStateChanged {
      machineId
      state
      previousState
      at
    }
  }
`);
