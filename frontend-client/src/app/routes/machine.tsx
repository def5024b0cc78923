/** `/machines/:id`: one machine's identity, live state, timelines, OEE per shift and activity. */
import { MachinePage } from "../../features/machine/components/MachinePage";
import "../../features/machine/machine.css";

export default function Machine({ id }: { id: string }) {
  return <MachinePage id={id} />;
}
