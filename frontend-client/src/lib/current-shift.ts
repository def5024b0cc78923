/**
 * Which shiftOee row is the shift running now. A report over a window reports every shift
 * that overlaps it, whole; the running one contains now and is not complete. Machines of
 * several sites may follow different calendars, so the pick is per machine.
 */
import { instant } from "./event-order";

export interface ShiftRowLike {
  complete: boolean;
  shift: { from: string; to: string };
}

function rank(row: ShiftRowLike, now: number): number {
  const contains = instant(row.shift.from) <= now && now < instant(row.shift.to);
  return (contains ? 2 : 0) + (row.complete ? 0 : 1);
}

/** The row of the shift running at `now` (contains now, else still running), latest first. */
export function runningShift<R extends ShiftRowLike>(rows: readonly R[], now: number): R | null {
  let best: R | null = null;
  for (const row of rows) {
    const r = rank(row, now);
    if (r === 0) continue;
    if (
      best === null ||
      r > rank(best, now) ||
      (r === rank(best, now) && instant(row.shift.from) > instant(best.shift.from))
    ) {
      best = row;
    }
  }
  return best;
}

/** Per machine: the row of the shift running at `now`. */
export function runningShiftByMachine<R extends ShiftRowLike & { machineId: string }>(
  rows: readonly R[],
  now: number,
): Map<string, R> {
  const byMachine = new Map<string, R[]>();
  for (const row of rows) {
    const list = byMachine.get(row.machineId);
    if (list) list.push(row);
    else byMachine.set(row.machineId, [row]);
  }
  const picked = new Map<string, R>();
  for (const [id, list] of byMachine) {
    const row = runningShift(list, now);
    if (row) picked.set(id, row);
  }
  return picked;
}
