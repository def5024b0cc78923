import { graphql } from "../../../gql";

/** A machine's identity, line, current operation and live values (polled every 5 s). */
export const MachineDetail = graphql(`
  query MachineDetail($id: ID!) {
    machine(id: $id) {
      id
      name
      kind
      manufacturer
      serialNumber
      state
      stateAt
      line {
        id
        name
      }
      currentOperation {
        id
        name
        workOrder {
          id
        }
      }
      values {
        name
        value
        text
        unit
        sourceTimestamp
        quality
        statusCode
      }
    }
  }
`);
