import { graphql } from "../../../gql";

export const Search = graphql(`
  query Search($text: String!) {
    search(text: $text, first: 20) {
      id
      label
      title
    }
  }
`);
