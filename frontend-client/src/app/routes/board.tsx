// Placeholder: the page is being written.
export default function Board() {
  return <h1>Board</h1>;
}
