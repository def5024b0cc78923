/** What a machine's value tags say beyond their numbers: its operation mode, its silence. */
import { instant } from "./event-order";

interface Tag {
  name: string;
  text?: string | null;
  sourceTimestamp?: string | null;
}

/** The text of the machine's operation mode tag ("Processing", "Setup"), if it has one. */
export function operationMode(values: readonly Tag[]): string | null {
  return values.find((v) => /^operation[_ ]?mode$/i.test(v.name))?.text ?? null;
}

/** The work order the machine itself reports running (a text tag), if any. */
export function reportedWorkOrder(values: readonly Tag[]): string | null {
  return values.find((v) => /^current[_ ]?work[_ ]?order[_ ]?id$/i.test(v.name))?.text ?? null;
}

/**
 * Until when (epoch ms) the machine counts as reporting: its newest sign of life (its state's
 * start, or any value's source time) plus the stale threshold; 0 when it never reported.
 */
export function reportingUntil(
  since: string | null | undefined,
  values: readonly Tag[],
  staleAfterS: number,
): number {
  let newest = instant(since);
  for (const v of values) newest = Math.max(newest, instant(v.sourceTimestamp));
  return newest === 0 ? 0 : newest + staleAfterS * 1000;
}

/**
 * The machine's state as the newer of the live row and the page's own query says it (the
 * live row on a tie: it carries the previous state too).
 */
export function newerState<S>(
  live: { state: S; since: string | null } | undefined,
  queried: { state: S; stateAt?: string | null } | null | undefined,
): { state: S; since: string | null } | null {
  if (!queried) return live ?? null;
  if (live && instant(live.since) >= instant(queried.stateAt)) return live;
  return { state: queried.state, since: queried.stateAt ?? null };
}
