// Placeholder: the page is being written.
export default function SalesOrder({ id }: { id: string }) {
  return <h1>SalesOrder {id}</h1>;
}
