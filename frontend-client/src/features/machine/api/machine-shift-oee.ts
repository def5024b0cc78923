import { graphql } from "../../../gql";

/** OEE of one machine per shift over a window, with every input of the ratios. */
export const MachineShiftOee = graphql(`
  query MachineShiftOee($id: ID!, $from: DateTime!, $to: DateTime!) {
    shiftOee(machineIds: [$id], from: $from, to: $to) {
      from
      to
      rows {
        complete
        ...OeeFigures
        shift {
          id
          name
          from
          to
          timezone
        }
      }
      machines {
        shiftCount
        ...OeeFigures
      }
    }
  }
`);
