/** How long a machine has been in its state, ticking each second. */

import { instant } from "../lib/event-order";
import { useSecondTick } from "../lib/ticker";
import { formatDuration } from "../lib/time";

export function TimeInState({ since }: { since: string | null | undefined }) {
  const now = useSecondTick();
  const at = instant(since);
  return (
    <span className="time-in-state" title={since ?? undefined}>
      {at ? formatDuration(Math.max(0, now - at)) : "–"}
    </span>
  );
}
