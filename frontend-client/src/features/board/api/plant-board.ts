import { graphql } from "../../../gql";

/**
 * The whole board in one request: sites, their lines and machines with identity, current
 * operation and live values. Polled every 5 s (values have no subscription); states come
 * live from the machine-state feed.
 */
export const PlantBoard = graphql(`
  query PlantBoard {
    sites {
      id
      name
      areas {
        id
        name
        lines {
          id
          name
          machines {
            id
            name
            kind
            state
            stateAt
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
            }
          }
        }
      }
    }
  }
`);
