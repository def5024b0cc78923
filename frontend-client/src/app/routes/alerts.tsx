// Placeholder: the page is being written.
export default function Alerts() {
  return <h1>Alerts</h1>;
}
