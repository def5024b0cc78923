import { graphql } from "../../../gql";

/**
 * The shift now running for every machine of the board (a short window just before now picks
 * whole shifts, so only the current one): parts made and the OEE inputs that line headers add up.
 */
export const BoardShiftOee = graphql(`
  query BoardShiftOee($machineIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
    shiftOee(machineIds: $machineIds, from: $from, to: $to) {
      rows {
        machineId
        complete
        ...OeeFigures
        shift {
          id
          name
          from
          to
        }
      }
    }
  }
`);
