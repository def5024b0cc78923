import { graphql } from "../../../gql";

export const ForesightStatusQuery = graphql(`
  query ForesightStatus {
    foresight {
      state
      modelVersion
      progress
      message
      startedAt
      finishedAt
    }
  }
`);
