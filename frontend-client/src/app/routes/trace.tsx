// Placeholder: the page is being written.
export default function Trace() {
  return <h1>Trace</h1>;
}
