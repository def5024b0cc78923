/** `/machines/:id`: one machine's identity, live state, timelines, OEE per shift and activity. */
import { MachinePage } from "../../features/machine/components/MachinePage";
import "../../features/machine/machine.css";

export default function Machine({ id }: { id: string }) {
  // Keyed by id: another machine starts from a clean page, never from this one's data.
  return <MachinePage key={id} id={id} />;
}
