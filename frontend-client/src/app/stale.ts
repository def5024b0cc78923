/** After how many seconds a live value counts as stale (greyed); kept in localStorage. */
import { useSyncExternalStore } from "react";

const KEY = "factorygraph.staleAfterS";
const DEFAULT_S = 60;
const listeners = new Set<() => void>();

function read(): number {
  const stored = Number(localStorage.getItem(KEY));
  return Number.isFinite(stored) && stored >= 5 ? stored : DEFAULT_S;
}

export function useStaleAfter(): [number, (seconds: number) => void] {
  const value = useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, read);
  const set = (seconds: number) => {
    if (!Number.isFinite(seconds) || seconds < 5) return;
    localStorage.setItem(KEY, String(Math.round(seconds)));
    for (const listener of listeners) listener();
  };
  return [value, set];
}

/** Whether a value stamped `iso` is older than the threshold at `now`. */
export function isStale(iso: string | null | undefined, staleAfterS: number, now: number): boolean {
  if (!iso) return true;
  const at = Date.parse(iso);
  return Number.isNaN(at) || now - at > staleAfterS * 1000;
}
