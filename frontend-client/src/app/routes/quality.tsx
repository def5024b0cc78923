// Placeholder: the page is being written.
export default function Quality() {
  return <h1>Quality</h1>;
}
