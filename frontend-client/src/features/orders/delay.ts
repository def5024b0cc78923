/** How far an actual instant is from the planned one, as "+1h 5m late" or "12m early". */
import { instant } from "../../lib/event-order";
import { formatDuration } from "../../lib/time";

export interface Delay {
  ms: number;
  text: string;
}

/** Null unless both instants are known; under a minute reads "on time". */
export function delay(
  planned: string | null | undefined,
  actual: string | null | undefined,
): Delay | null {
  if (!planned || !actual) return null;
  const p = instant(planned);
  const a = instant(actual);
  if (!p || !a) return null;
  const ms = a - p;
  if (Math.abs(ms) < 60_000) return { ms, text: "on time" };
  return ms > 0
    ? { ms, text: `${formatDuration(ms)} late` }
    : { ms, text: `${formatDuration(-ms)} early` };
}
