import { graphql } from "../../../gql";

/** The customer a filtered orders list is about (`?customer=ID`). */
export const OrdersCustomer = graphql(`
  query OrdersCustomer($id: ID!) {
    customer(id: $id) {
      id
      name
      country
    }
  }
`);
