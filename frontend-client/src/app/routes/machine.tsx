// Placeholder: the page is being written.
export default function Machine({ id }: { id: string }) {
  return <h1>Machine {id}</h1>;
}
