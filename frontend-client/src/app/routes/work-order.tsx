// Placeholder: the page is being written.
export default function WorkOrder({ id }: { id: string }) {
  return <h1>WorkOrder {id}</h1>;
}
