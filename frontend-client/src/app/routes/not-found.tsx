import { Link } from "wouter";

export default function NotFound() {
  return (
    <>
      <h1>No such page</h1>
      <p>
        This address is not a page of the web client. Go to the <Link href="/">plant board</Link> or
        search for an id above.
      </p>
    </>
  );
}
