import { graphql } from "../../../gql";

/** The machine's states over a window, cut into stretches of one state. */
export const MachineTimeline = graphql(`
  query MachineTimeline($id: ID!, $from: DateTime!, $to: DateTime!) {
    oee(machineId: $id, from: $from, to: $to) {
      from
      to
      coverage
      timeline {
        state
        start
        end
        durationS
      }
    }
  }
`);
